// Closed-loop GET load that reads the server's own time of each request from its `Server-Timing: app;dur=<ms>`
// header (apps/server/src/platform/http/observability.ts). It runs in the benchmark's process, which is never the
// server's: the figures judged are the server's, and the client's are reported beside them.
import { percentile, round } from './stats.ts';

/** One request of the mix; `group` names what it stands for in the report (e.g. `common word`, `miss`). */
export interface TimedRequest {
  readonly path: string;
  readonly group: string;
}

/** One answered request. */
export interface TimedSample {
  readonly group: string;
  readonly status: number;
  readonly serverMs: number;
  readonly clientMs: number;
}

/** Latency figures of a set of samples, in ms; `server*` from Server-Timing, `client*` measured here. */
export interface TimedSummary {
  readonly requests: number;
  readonly perSecond: number;
  readonly statuses: Record<string, number>;
  readonly serverP50Ms: number;
  readonly serverP95Ms: number;
  readonly serverP99Ms: number;
  readonly serverMaxMs: number;
  readonly clientP50Ms: number;
  readonly clientP99Ms: number;
}

const SERVER_TIMING = /(?:^|,)\s*app;dur=([\d.]+)/;

/**
 * Sends the requests in rotation over `concurrency` keep-alive connections for `seconds`, each connection waiting
 * for its answer before the next request. A response without a Server-Timing header fails the run.
 */
export async function runTimedGets(
  baseUrl: string,
  token: string,
  requests: readonly TimedRequest[],
  concurrency: number,
  seconds: number,
): Promise<{ samples: TimedSample[]; elapsedSeconds: number }> {
  const samples: TimedSample[] = [];
  const headers = { authorization: `Bearer ${token}` };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const request = requests[next++ % requests.length];
      if (request === undefined) return;
      const sent = performance.now();
      const res = await fetch(`${baseUrl}${request.path}`, { headers });
      await res.arrayBuffer();
      const clientMs = performance.now() - sent;
      const timing = SERVER_TIMING.exec(res.headers.get('server-timing') ?? '')?.[1];
      if (timing === undefined) throw new Error(`no Server-Timing on GET ${request.path} (${res.status})`);
      samples.push({ group: request.group, status: res.status, serverMs: Number(timing), clientMs });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, elapsedSeconds: (performance.now() - started) / 1000 };
}

/** The summary of the samples that `keep` selects (all by default). */
export function summarize(
  samples: readonly TimedSample[],
  elapsedSeconds: number,
  keep: (s: TimedSample) => boolean = () => true,
): TimedSummary {
  const chosen = samples.filter(keep);
  const server = chosen.map((s) => s.serverMs);
  const client = chosen.map((s) => s.clientMs);
  const statuses: Record<string, number> = {};
  for (const s of chosen) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
  return {
    requests: chosen.length,
    perSecond: round(chosen.length / elapsedSeconds, 1),
    statuses,
    serverP50Ms: round(percentile(server, 50), 3),
    serverP95Ms: round(percentile(server, 95), 3),
    serverP99Ms: round(percentile(server, 99), 3),
    serverMaxMs: round(Math.max(0, ...server), 3),
    clientP50Ms: round(percentile(client, 50), 3),
    clientP99Ms: round(percentile(client, 99), 3),
  };
}
