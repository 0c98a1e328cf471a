import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '@novapos/domain';
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import type { RequestContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import type { Metrics } from '../metrics.ts';
import { tenantStatement } from '../db/tx.ts';
import { AppError } from '../errors.ts';
import { LeaseKeeper } from './idempotency.leases.ts';
import {
  claimKey,
  completeKey,
  releaseKey,
  type ClaimResult,
  type KeyClaim,
  type RunStatement,
} from './idempotency.repo.ts';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Response headers replayed with the stored body. */
const KEPT_HEADERS = ['content-type', 'location', 'x-error-code', 'retry-after'];

/** The header as the OpenAPI document describes it; the preHandler below checks KEY_PATTERN itself. */
const IdempotencyKeyHeader = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: KEY_PATTERN.source,
  description:
    'A key of your choice (1 to 255 visible ASCII characters, e.g. a UUID) that makes a retry safe: the same key ' +
    'with the same request replays the first response (header Idempotent-Replayed: true) for at least 24 hours; ' +
    'with another request it is 422 idempotency_key_reused; while the first is running, 409 idempotency_key_in_use',
});

/**
 * The route's schema as the OpenAPI document shows it: with an optional `Idempotency-Key` header parameter when the
 * route is `config.idempotent`. Only the document sees it (openapi.ts's transform): validation stays the
 * preHandler's, so a malformed key is `invalid_header`, as before.
 */
export function documentIdempotencyKey(schema: FastifySchema, idempotent: boolean): FastifySchema {
  if (!idempotent) return schema;
  const headers = (schema.headers ?? { type: 'object', properties: {} }) as {
    properties?: Record<string, unknown>;
  };
  return {
    ...schema,
    headers: {
      ...headers,
      properties: { ...headers.properties, 'Idempotency-Key': IdempotencyKeyHeader },
    },
  };
}

const claims = new WeakMap<FastifyRequest, KeyClaim>();

/** Each bookkeeping statement in a transaction of its own, in one round trip (tenantStatement). */
function statementsOf(db: Database, ctx: RequestContext): RunStatement {
  return async <R extends Record<string, unknown>>(sql: string, params: readonly unknown[]) =>
    (await tenantStatement<R>(db, ctx, sql, params)).rows;
}

function fingerprintOf(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n`)
    .update(canonicalJson(request.body ?? null))
    .digest('hex');
}

/**
 * Refusals that hold no key: the request ran, wrote nothing (its transaction rolled back) and may succeed when sent
 * again, changed or not. Replaying the refusal would block the sale for the key's whole life.
 */
const RETRYABLE_REFUSALS: ReadonlySet<string> = new Set(['insufficient_stock']);

/**
 * `Idempotency-Key` with Stripe's semantics on routes marked `config.idempotent`:
 * - first use: the key is claimed (`in_progress`), the handler runs, its response is stored;
 * - same key and same request again: the stored response is replayed (header `Idempotent-Replayed: true`);
 * - same key, another request: 422 `idempotency_key_reused`;
 * - while the first is still running: 409 `idempotency_key_in_use`;
 * - when the first failed on our side (5xx), the key is released so the retry can run;
 * - when the first died with its process (or its database), the key is free again once its lease has run out
 *   (IDEMPOTENCY_LEASE_SECONDS; this process renews its running claims' leases, `LeaseKeeper`): the same request
 *   takes it over and runs again;
 * - so is it after a refusal that wrote nothing and that the same sale may pass later (`RETRYABLE_REFUSALS`: not
 *   enough stock, until stock arrives or a manager approves selling beyond it — the till then sends the same sale,
 *   under the same key, with the approval added).
 * Keys are per tenant and kept IDEMPOTENCY_TTL_HOURS (at least 24 h). Validation errors happen before the claim,
 * so they are not stored, as with Stripe.
 */
export function registerIdempotency(
  app: FastifyInstance,
  deps: { db: Database; config: Config; metrics: Metrics },
): void {
  const leaseSeconds = deps.config.idempotencyLeaseSeconds;
  const leases = new LeaseKeeper(deps.db, leaseSeconds, app.log);
  app.addHook('onClose', async () => {
    leases.close();
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.idempotent !== true) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new AppError('invalid_header', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
        errors: [{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }],
      });
    }
    const ctx = request.ctx;
    const tenantId = ctx.tenantId;
    if (tenantId === undefined) return;
    const run = statementsOf(deps.db, ctx);
    const fingerprint = fingerprintOf(request);
    const path = request.url.split('?')[0] ?? request.url;
    const claim: KeyClaim = { tenantId, key: header, holder: randomUUID() };
    let result: ClaimResult = { kind: 'gone' };
    // 'gone': the holder released the key between our two statements; claim again.
    for (let attempt = 0; attempt < 3 && result.kind === 'gone'; attempt++) {
      result = await claimKey(run, claim, {
        method: request.method,
        path,
        fingerprint,
        ttlHours: deps.config.idempotencyTtlHours,
        leaseSeconds,
      });
    }
    switch (result.kind) {
      case 'claimed':
        claims.set(request, claim);
        leases.hold(claim);
        if (result.tookOver) {
          deps.metrics.idempotencyTakeovers.inc();
          request.log.warn({ idempotencyKey: header }, 'idempotency key taken over: its lease ran out');
        }
        return;
      case 'in_progress':
      case 'completed':
        if (result.fingerprint !== fingerprint) {
          throw new AppError(
            'idempotency_key_reused',
            'This Idempotency-Key was used with a different request; use a new key for a new request',
          );
        }
        if (result.kind === 'in_progress') {
          throw new AppError('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed', {
            headers: { 'Retry-After': '1' },
          });
        }
        return reply
          .code(result.response.status)
          .headers(result.response.headers)
          .header('Idempotent-Replayed', 'true')
          .send(result.response.body);
      case 'gone':
        throw new AppError('idempotency_key_in_use', 'The Idempotency-Key is contended; retry shortly');
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (claim === undefined) return payload;
    claims.delete(request);
    try {
      const run = statementsOf(deps.db, request.ctx);
      const refusal = reply.getHeader('x-error-code');
      if (
        reply.statusCode >= 500 ||
        typeof payload !== 'string' ||
        (typeof refusal === 'string' && RETRYABLE_REFUSALS.has(refusal))
      ) {
        await releaseKey(run, claim);
        return payload;
      }
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = reply.getHeader(name);
        if (typeof value === 'string') headers[name] = value;
      }
      const stored = await completeKey(run, claim, { status: reply.statusCode, headers, body: payload });
      if (!stored) request.log.warn({ idempotencyKey: claim.key }, 'idempotency key was taken over: answer not stored');
      return payload;
    } finally {
      leases.drop(claim.holder);
    }
  });

  // A request that ends without sending (hijacked, or its connection gone before onSend) leaves no lease renewed.
  // A callback hook, not an async one: it runs on every request, and needs no promise.
  app.addHook('onResponse', (request, _reply, done) => {
    const claim = claims.get(request);
    if (claim !== undefined) leases.drop(claim.holder);
    done();
  });
}
