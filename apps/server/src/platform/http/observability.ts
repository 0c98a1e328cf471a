import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Metrics } from '../metrics.ts';
import { newId } from '../ids.ts';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id: the client's X-Request-Id when it is sane, else a new UUIDv7. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  if (typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming)) return incoming;
  try {
    return newId();
  } catch {
    return randomUUID();
  }
}

const started = new WeakMap<FastifyRequest, bigint>();

/** `app;dur=<ms>` with 3 decimals: the server's own time for a request, from onRequest to onSend. */
export function serverTiming(startNs: bigint, nowNs: bigint): string {
  return `app;dur=${(Number(nowNs - startNs) / 1e6).toFixed(3)}`;
}

/**
 * Echoes the request id, times every request into http_request_duration_seconds, and answers a `Server-Timing`
 * header (W3C Server Timing) so a client — the catalog benchmark, a browser's dev tools — sees the server's share
 * of the latency apart from the network and its own queueing. It costs one hrtime call per request.
 */
export function registerObservability(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRequest', async (request, reply) => {
    started.set(request, process.hrtime.bigint());
    void reply.header('X-Request-Id', request.id);
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    const start = started.get(request);
    if (start !== undefined) void reply.header('Server-Timing', serverTiming(start, process.hrtime.bigint()));
    done(null, payload);
  });
  app.addHook('onResponse', async (request, reply) => {
    const start = started.get(request);
    if (start === undefined) return;
    // The route template keeps label cardinality bounded; unknown paths share one label.
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, seconds);
  });
}
