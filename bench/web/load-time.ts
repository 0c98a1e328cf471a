/**
 * Load times of the web apps (bench/README.md, "Web apps"): from the start of navigation to the first contentful
 * paint, and to the app being ready to use — a condition checked in the page on every animation frame, so the time
 * is the frame it became true, not when the script heard of it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** What "ready" means on a screen: an element, and optionally text it must contain. */
export interface Ready {
  readonly selector: string;
  readonly text?: string;
}

export interface LoadTime {
  readonly runs: number;
  readonly first_paint_ms: { median: number; max: number };
  readonly ready_ms: { median: number; max: number };
}

async function readyAt(page: Page, ready: Ready): Promise<{ fcp: number; ready: number }> {
  const handle = await page.waitForFunction(
    ({ selector, text }) => {
      const el = document.querySelector(selector);
      if (el === null || (text !== undefined && !el.textContent.includes(text))) return false;
      return performance.now();
    },
    { selector: ready.selector, text: ready.text },
    { polling: 'raf', timeout: 60_000 },
  );
  const readyMs = (await handle.jsonValue()) as number;
  // The paint entry is recorded a moment after the frame is presented: wait for it (buffered), up to 5 s.
  const fcp = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const observer = new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint').at(0);
          if (entry === undefined) return;
          observer.disconnect();
          resolve(entry.startTime);
        });
        observer.observe({ type: 'paint', buffered: true });
        setTimeout(() => resolve(Number.NaN), 5000);
      }),
  );
  return { fcp, ready: readyMs };
}

function summary(samples: { fcp: number; ready: number }[]): LoadTime {
  const stat = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const round = (v: number) => Math.round(v * 10) / 10;
    return {
      median: round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN),
      max: round(sorted.at(-1) ?? Number.NaN),
    };
  };
  return {
    runs: samples.length,
    first_paint_ms: stat(samples.map((s) => s.fcp)),
    ready_ms: stat(samples.map((s) => s.ready)),
  };
}

/** A first visit: a new browser profile each run (no HTTP cache, no service worker), `url` until `ready`. */
export async function coldLoads(
  browser: Browser,
  url: string,
  ready: Ready,
  runs: number,
  prepare: (context: BrowserContext) => Promise<void>,
): Promise<LoadTime> {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    await prepare(context);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    samples.push(await readyAt(page, ready));
    await context.close();
  }
  return summary(samples);
}

/** A reload of a page already in use (its service worker and caches warm), until `ready`. */
export async function warmReloads(page: Page, ready: Ready, runs: number): Promise<LoadTime> {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    await page.reload({ waitUntil: 'commit' });
    samples.push(await readyAt(page, ready));
  }
  return summary(samples);
}
