import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { afterIdCursor, toPage } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './hooks.repo.ts';
import type {
  CreateWebhookEndpointInput,
  EndpointListInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryDto,
  WebhookEndpointDto,
} from './hooks.schemas.ts';
import { maskSecret, newEndpointSecret } from './signing.ts';
import { urlRefusal, type UrlGuardOptions } from './url-guard.ts';

const DEFAULT_LIMIT = 50;

function toDto(row: repo.EndpointRow, revealSecret = false): WebhookEndpointDto {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.event_types,
    status: row.status,
    disabled_reason: row.disabled_reason,
    failure_count: row.failure_count,
    secret: revealSecret ? row.secret : maskSecret(row.secret),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** What the audit log keeps of an endpoint: everything but the secret. */
function auditView(row: repo.EndpointRow): Record<string, unknown> {
  return { url: row.url, description: row.description, event_types: row.event_types, status: row.status };
}

/** 400 on `url` unless NovaPOS may send to it (https, public address); resolved before any transaction opens. */
async function checkUrl(url: string, guard: UrlGuardOptions): Promise<void> {
  const refusal = await urlRefusal(url, guard);
  if (refusal !== undefined) throw invalidField('url', refusal);
}

/** `*` alone covers everything; a list naming it with other types is kept as given (it still means all). */
function normalisedTypes(types: readonly string[]): string[] {
  return [...new Set(types)];
}

function notFound(): AppError {
  return new AppError('not_found', 'No webhook endpoint of this tenant has this id');
}

/**
 * Registers an endpoint with a new secret, which this answer alone shows in full. Audited
 * `webhook_endpoint.created`.
 */
export async function createEndpoint(
  db: Database,
  ctx: RequestContext,
  guard: UrlGuardOptions,
  input: CreateWebhookEndpointInput,
): Promise<WebhookEndpointDto> {
  await checkUrl(input.url, guard);
  return tenantTx(db, ctx, async (tx) => {
    const row = await repo.insertEndpoint(tx, ctx, {
      id: newId(),
      url: input.url,
      description: input.description ?? null,
      eventTypes: normalisedTypes(input.event_types),
      secret: newEndpointSecret(),
    });
    await recordAudit(tx, ctx, {
      action: 'webhook_endpoint.created',
      entityType: 'webhook_endpoint',
      entityId: row.id,
      data: auditView(row),
    });
    return toDto(row, true);
  });
}

export function listEndpoints(
  db: Database,
  ctx: RequestContext,
  q: EndpointListInput,
): Promise<{ data: WebhookEndpointDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const after = afterIdCursor(q.cursor);
  return tenantTx(db, ctx, async (tx) => {
    const page = toPage(await repo.listEndpoints(tx, after, limit), limit, (last) => ({ id: last.id }));
    return { data: page.data.map((r) => toDto(r)), next_cursor: page.next_cursor };
  });
}

export function getEndpoint(db: Database, ctx: RequestContext, id: string): Promise<WebhookEndpointDto> {
  return tenantTx(db, ctx, async (tx) => {
    const row = await repo.findEndpoint(tx, id);
    if (row === undefined) throw notFound();
    return toDto(row);
  });
}

/**
 * Changes an endpoint. `status: 'enabled'` re-enables a disabled one and resets its failure count. Audited
 * `webhook_endpoint.updated` with before and after (never the secret).
 */
export async function updateEndpoint(
  db: Database,
  ctx: RequestContext,
  guard: UrlGuardOptions,
  id: string,
  input: UpdateWebhookEndpointInput,
): Promise<WebhookEndpointDto> {
  if (input.url !== undefined) await checkUrl(input.url, guard);
  return tenantTx(db, ctx, async (tx: Tx) => {
    const before = await repo.findEndpoint(tx, id, true);
    if (before === undefined) throw notFound();
    const row = await repo.updateEndpoint(tx, id, {
      url: input.url ?? before.url,
      description: input.description === undefined ? before.description : input.description,
      eventTypes: input.event_types === undefined ? before.event_types : normalisedTypes(input.event_types),
      reEnable: input.status === 'enabled',
    });
    await recordAudit(tx, ctx, {
      action: 'webhook_endpoint.updated',
      entityType: 'webhook_endpoint',
      entityId: id,
      data: { before: auditView(before), after: auditView(row) },
    });
    return toDto(row);
  });
}

/** Removes an endpoint with its deliveries and their logs. Audited `webhook_endpoint.deleted`. */
export function deleteEndpoint(db: Database, ctx: RequestContext, id: string): Promise<void> {
  return tenantTx(db, ctx, async (tx) => {
    const row = await repo.findEndpoint(tx, id, true);
    if (row === undefined) throw notFound();
    await repo.deleteEndpoint(tx, id);
    await recordAudit(tx, ctx, {
      action: 'webhook_endpoint.deleted',
      entityType: 'webhook_endpoint',
      entityId: id,
      data: auditView(row),
    });
  });
}

/** The deliveries of one endpoint, newest first, each with its attempt log. */
export function listDeliveries(
  db: Database,
  ctx: RequestContext,
  endpointId: string,
  q: EndpointListInput,
): Promise<{ data: WebhookDeliveryDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const before = afterIdCursor(q.cursor);
  return tenantTx(db, ctx, async (tx) => {
    if ((await repo.findEndpoint(tx, endpointId)) === undefined) throw notFound();
    const page = toPage(await repo.listDeliveries(tx, endpointId, before, limit), limit, (last) => ({ id: last.id }));
    const attempts = await repo.attemptsOf(
      tx,
      page.data.map((d) => d.id),
    );
    const data = page.data.map((d) => ({
      id: d.id,
      event_id: d.event_id,
      event_type: d.event_type,
      status: d.status,
      attempts: d.attempts,
      next_attempt_at: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
      last_status_code: d.last_status_code,
      last_error: d.last_error,
      created_at: d.created_at.toISOString(),
      delivered_at: d.delivered_at?.toISOString() ?? null,
      attempt_log: attempts
        .filter((a) => a.delivery_id === d.id)
        .map((a) => ({
          attempt: a.attempt,
          at: a.at.toISOString(),
          status_code: a.status_code,
          error: a.error,
          duration_ms: a.duration_ms,
        })),
    }));
    return { data, next_cursor: page.next_cursor };
  });
}
