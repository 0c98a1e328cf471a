import { Counter, Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../db/database.ts';
import { jobSchemaInstalled, queueFigures, type QueueFigures } from './jobs.repo.ts';

export interface JobMetrics {
  /** `jobs_total{queue,outcome}`: completed, retried (failed, will run again), failed (dead). */
  readonly total: Counter<'queue' | 'outcome'>;
}

const counters = new WeakMap<Registry, JobMetrics>();
const gauged = new WeakSet<Registry>();

/** The job counters of a registry (created once per registry: tests build many apps in one process). */
export function jobMetrics(registry: Registry): JobMetrics {
  let metrics = counters.get(registry);
  if (metrics === undefined) {
    metrics = {
      total: new Counter({
        name: 'jobs_total',
        help: 'Jobs run by this process, by queue (task) and outcome: completed, retried, failed (dead letter)',
        labelNames: ['queue', 'outcome'],
        registers: [registry],
      }),
    };
    counters.set(registry, metrics);
  }
  return metrics;
}

/** A scrape must stay fast when the database is slow: the count gets this long, then the gauges keep their values. */
const FIGURES_QUERY_MS = 2000;

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the job queue figures took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Registers the queue gauges, read from the database at each scrape (the queue is shared, so every process
 * reports the same figures): `jobs_queue_depth{queue,state}` (waiting, scheduled, running, failed = the dead
 * letters) and `jobs_oldest_age_seconds{queue}` (how long the oldest due job has waited). Also registers the
 * counters, so a scrape shows every job metric even in a process that has run no job.
 */
export function registerJobGauges(
  registry: Registry,
  db: Queryable,
  onError: (err: Error) => void = () => undefined,
): void {
  jobMetrics(registry);
  if (gauged.has(registry)) return;
  gauged.add(registry);
  // Both gauges are collected by the same scrape: one query (reused for a second) serves them.
  let last: { at: number; figures: Promise<QueueFigures[]> } | undefined;
  const read = (): Promise<QueueFigures[]> => {
    if (last === undefined || Date.now() - last.at > 1000) {
      const figures = withDeadline(
        (async () => ((await jobSchemaInstalled(db)) ? queueFigures(db) : []))(),
        FIGURES_QUERY_MS,
      );
      last = { at: Date.now(), figures };
    }
    return last.figures;
  };
  new Gauge({
    name: 'jobs_queue_depth',
    help: 'Jobs in the queue by queue (task) and state: waiting (due), scheduled (due later), running, failed (dead)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      try {
        for (const f of await read()) this.set({ queue: f.queue, state: f.state }, f.jobs);
      } catch (err) {
        onError(err as Error);
      }
    },
  });
  new Gauge({
    name: 'jobs_oldest_age_seconds',
    help: 'Seconds the oldest due job of each queue has been waiting (0 when none waits)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      try {
        for (const f of await read()) if (f.state === 'waiting') this.set({ queue: f.queue }, f.oldest_seconds);
      } catch (err) {
        onError(err as Error);
      }
    },
  });
}
