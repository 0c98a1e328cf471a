// The load generator: a process of its own, so its CPU never counts against the server it measures.
// Input: one JSON argument (LoadSpec). Output: one JSON line on stdout (LoadResult).
import autocannon from 'autocannon';
import { percentile, round, uuidv7 } from './stats.ts';
import type { LoadResult, LoadSpec } from './load.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;

interface Phase {
  readonly latencies: number[];
  readonly statuses: Record<string, number>;
  readonly createdIds: string[];
  /** Ids sent and not (yet) answered: at the end, the requests cut off when the phase stopped. */
  readonly pending: Set<string>;
  requests: number;
}

function bodyFor(n: number): { id: string; body: string } {
  const id = uuidv7();
  const bodies = spec.bodies;
  const template = bodies[n % bodies.length] ?? {};
  if (spec.kind === 'compute') return { id, body: JSON.stringify(template) };
  const register = spec.registerIds[n % spec.registerIds.length];
  return { id, body: JSON.stringify({ ...template, id, register_id: register }) };
}

async function runPhase(seconds: number, phase: Phase): Promise<number> {
  let n = 0;
  let done: (err: Error | null) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    done = (err) => (err === null ? resolve() : reject(err));
  });
  const instance = autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      duration: seconds,
      pipelining: 1,
      requests: [
        {
          method: 'POST',
          path: spec.path,
          setupRequest: (req, context) => {
            const next = bodyFor(n++);
            (context as { id?: string }).id = next.id;
            phase.pending.add(next.id);
            const headers: Record<string, string> = { 'content-type': 'application/json' };
            if (spec.token !== undefined) headers.authorization = `Bearer ${spec.token}`;
            if (spec.kind === 'checkout') headers['idempotency-key'] = `bench-${next.id}`;
            return { ...req, headers, body: next.body };
          },
          onResponse: (status, _body, ctx) => {
            const context = ctx as { id?: string };
            if (typeof context.id === 'string') phase.pending.delete(context.id);
            phase.statuses[String(status)] = (phase.statuses[String(status)] ?? 0) + 1;
            if (status === 201 && typeof context.id === 'string') phase.createdIds.push(context.id);
          },
        },
      ],
    },
    (err: unknown) => {
      done(err instanceof Error ? err : null);
    },
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    phase.latencies.push(responseTime);
    phase.requests++;
  });
  const started = performance.now();
  await finished;
  return (performance.now() - started) / 1000;
}

const warm: Phase = { latencies: [], statuses: {}, createdIds: [], pending: new Set(), requests: 0 };
const main: Phase = { latencies: [], statuses: {}, createdIds: [], pending: new Set(), requests: 0 };
if (spec.warmupSeconds > 0) await runPhase(spec.warmupSeconds, warm);
const elapsed = await runPhase(spec.seconds, main);
const ok = spec.kind === 'checkout' ? (main.statuses['201'] ?? 0) : (main.statuses['200'] ?? 0);
const result: LoadResult = {
  connections: spec.connections,
  seconds: round(elapsed, 2),
  requests: main.requests,
  ok,
  okPerSecond: round(ok / elapsed, 1),
  statuses: main.statuses,
  warmupStatuses: warm.statuses,
  p50Ms: round(percentile(main.latencies, 50), 2),
  p95Ms: round(percentile(main.latencies, 95), 2),
  p99Ms: round(percentile(main.latencies, 99), 2),
  createdIds: [...warm.createdIds, ...main.createdIds],
  unansweredIds: [...warm.pending, ...main.pending],
};
process.stdout.write(`${JSON.stringify(result)}\n`);
