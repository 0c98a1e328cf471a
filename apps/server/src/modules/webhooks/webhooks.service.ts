import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { platformTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { afterIdCursor, toPage } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { recordAudit } from '../audit/index.ts';
import { webhookEventsCounter } from './webhooks.handlers.ts';
import {
  claimNonce,
  insertWebhookEvent,
  listWebhookEvents,
  lockWebhookEvent,
  requeueEvent,
  type WebhookEventRow,
  type WebhookStatus,
} from './webhooks.repo.ts';
import { verifySignature, type SignatureHeaders } from './webhooks.signature.ts';

export interface WebhookDeps {
  readonly db: Database;
  readonly metrics: Pick<Metrics, 'registry'>;
  readonly config: {
    readonly webhooks: {
      activeSecret?: string | undefined;
      previousSecret?: string | undefined;
      maxSkewSeconds: number;
    };
  };
}

export interface IncomingWebhook {
  readonly provider: string;
  readonly providerHeader: string | undefined;
  readonly headers: SignatureHeaders;
  readonly rawBody: Buffer;
}

interface ParsedBody {
  readonly payload: Record<string, unknown> | null;
  readonly eventType: string | null;
  readonly externalId: string | null;
  /** Why the body is not a well-formed event; null when it is. */
  readonly problem: string | null;
}

/** True when every string of a parsed JSON value, keys included, is well-formed Unicode. */
function wellFormed(value: unknown): boolean {
  if (typeof value === 'string') return value.isWellFormed();
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(wellFormed);
  return Object.entries(value).every(([k, v]) => k.isWellFormed() && wellFormed(v));
}

/**
 * A well-formed event is a JSON object with a string `type` (1–200 characters) and optionally a string `id` (the
 * processor's id of the event, up to 200 characters).
 */
export function parseWebhookBody(rawBody: Buffer): ParsedBody {
  const bad = (problem: string): ParsedBody => ({ payload: null, eventType: null, externalId: null, problem });
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    return bad('The body is not valid UTF-8 JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return bad('The body must be a JSON object');
  }
  const record = payload as Record<string, unknown>;
  const { type, id } = record;
  if (typeof type !== 'string' || type.length < 1 || type.length > 200) {
    return bad('The event needs a string "type" of 1 to 200 characters');
  }
  if (id !== undefined && (typeof id !== 'string' || id.length > 200)) {
    return bad('The event "id", when sent, must be a string of at most 200 characters');
  }
  // PostgreSQL's jsonb cannot hold U+0000; storing it would fail, so the event is malformed for us.
  if (JSON.stringify(record).includes('\\u0000')) return bad('The body holds a NUL character (\\u0000)');
  // Nor an unpaired surrogate (`"\\ud800"` is valid JSON, not valid Unicode): the insert would fail.
  if (!wellFormed(record)) return bad('The body holds an unpaired surrogate (\\ud800–\\udfff)');
  return { payload: record, eventType: type, externalId: id ?? null, problem: null };
}

/**
 * Receives one delivery: verifies its signature (docs/sources.md, seed 000), then, in one platform transaction, claims its nonce
 * (`sig_replay` when used before) and stores the event before anything processes it. A well-formed event is
 * stored `received` (the processor is woken after commit) and answered 202; a malformed one is stored `failed`
 * and then refused with 400 `malformed_webhook`, so the bad delivery stays visible to operators.
 */
export async function receiveWebhook(
  deps: WebhookDeps,
  input: IncomingWebhook,
): Promise<{ id: string; status: 'received' }> {
  const { activeSecret, previousSecret, maxSkewSeconds } = deps.config.webhooks;
  if (activeSecret === undefined) {
    throw new AppError('webhooks_disabled', 'Incoming webhooks are off: WEBHOOK_ACTIVE_SECRET is not set');
  }
  const verified = verifySignature(
    input.headers,
    input.rawBody,
    { active: activeSecret, previous: previousSecret },
    maxSkewSeconds,
  );
  const parsed = parseWebhookBody(input.rawBody);
  const id = newId();
  const status = parsed.problem === null ? 'received' : 'failed';
  await platformTx(deps.db, async (tx) => {
    if (!(await claimNonce(tx, verified.nonce, verified.timestamp, input.provider))) {
      throw new AppError('sig_replay', 'This X-Nonce was used before');
    }
    await insertWebhookEvent(tx, {
      id,
      provider: input.provider,
      providerHeader: input.providerHeader?.slice(0, 100) ?? null,
      eventType: parsed.eventType,
      externalId: parsed.externalId,
      payload: parsed.payload,
      rawBody: input.rawBody,
      signedWith: verified.signedWith,
      status,
      lastError: parsed.problem,
    });
    tx.afterCommit(() => webhookEventsCounter(deps.metrics.registry).inc({ provider: input.provider, status }));
  });
  if (parsed.problem !== null) {
    throw new AppError('malformed_webhook', `${parsed.problem}; the event was stored as failed`, {
      extra: { event_id: id },
    });
  }
  return { id, status: 'received' };
}

/** An event as operators see it. */
export function toWebhookEventView(row: WebhookEventRow) {
  return {
    id: row.id,
    provider: row.provider,
    provider_header: row.provider_header,
    event_type: row.event_type,
    external_id: row.external_id,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === 'received' ? row.next_attempt_at.toISOString() : null,
    last_error: row.last_error,
    signed_with: row.signed_with,
    received_at: row.received_at.toISOString(),
    processed_at: row.processed_at?.toISOString() ?? null,
    payload: row.payload,
  };
}

export type WebhookEventView = ReturnType<typeof toWebhookEventView>;

/** Stored events, newest first (superadmin). */
export async function listEvents(
  db: Database,
  q: { status?: WebhookStatus | undefined; provider?: string | undefined; limit?: number; cursor?: string },
): Promise<{ data: WebhookEventView[]; next_cursor: string | null }> {
  const limit = q.limit ?? 50;
  const before = afterIdCursor(q.cursor);
  const rows = await platformTx(db, (tx) =>
    listWebhookEvents(tx, { status: q.status, provider: q.provider, before, limit }),
  );
  return toPage(rows.map(toWebhookEventView), limit, (last) => ({ id: last.id }));
}

/**
 * Puts a `failed` or `ignored` event back in the queue (status `received`, attempts 0, due now), audited as
 * `webhook.replayed` in the platform chain in the same transaction. An event still waiting or already processed
 * is 409 `invalid_state_transition`, as is one whose body was malformed (processing it again cannot succeed).
 */
export async function replayEvent(db: Database, ctx: RequestContext, id: string): Promise<WebhookEventView> {
  const platformCtx: RequestContext = { ...ctx, tenantId: undefined, registerId: undefined };
  const row = await platformTx(db, async (tx) => {
    const current = await lockWebhookEvent(tx, id);
    if (current === undefined) throw new AppError('webhook_event_not_found', 'No webhook event has this id');
    if (current.status !== 'failed' && current.status !== 'ignored') {
      throw new AppError('invalid_state_transition', `A ${current.status} webhook event cannot be replayed`);
    }
    if (current.payload === null) {
      throw new AppError('invalid_state_transition', "This event's body was malformed; replaying it cannot succeed");
    }
    // Locked above, so it is still there.
    const replayed = (await requeueEvent(tx, id)) ?? current;
    await recordAudit(tx, platformCtx, {
      action: 'webhook.replayed',
      entityType: 'webhook_event',
      entityId: id,
      data: {
        provider: current.provider,
        event_type: current.event_type,
        previous_status: current.status,
        previous_attempts: current.attempts,
        last_error: current.last_error,
      },
    });
    return replayed;
  });
  return toWebhookEventView(row);
}
