import type { RequestContext } from '../../platform/context.ts';
import { requireTenant } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';

export interface EndpointRow {
  id: string;
  tenant_id: string;
  url: string;
  description: string | null;
  event_types: string[];
  secret: string;
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  failure_count: number;
  first_failure_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryRow {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: { type: string; timestamp: string; data: unknown };
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export async function insertEndpoint(
  tx: Queryable,
  ctx: RequestContext,
  e: { id: string; url: string; description: string | null; eventTypes: string[]; secret: string },
): Promise<EndpointRow> {
  const { rows } = await tx.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, tenant_id, url, description, event_types, secret)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [e.id, requireTenant(ctx), e.url, e.description, e.eventTypes, e.secret],
  );
  return rows[0] as EndpointRow;
}

/** Endpoints in id order, `limit + 1` rows after `after`. */
export async function listEndpoints(tx: Queryable, after: string | null, limit: number): Promise<EndpointRow[]> {
  const { rows } = await tx.query<EndpointRow>(
    'SELECT * FROM webhook_endpoints WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2',
    [after, limit + 1],
  );
  return rows;
}

/** One endpoint of the current tenant; `lock` takes it FOR UPDATE (the caller changes it). */
export async function findEndpoint(tx: Queryable, id: string, lock = false): Promise<EndpointRow | undefined> {
  const { rows } = await tx.query<EndpointRow>(
    `SELECT * FROM webhook_endpoints WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function updateEndpoint(
  tx: Queryable,
  id: string,
  e: { url: string; description: string | null; eventTypes: string[]; reEnable: boolean },
): Promise<EndpointRow> {
  const { rows } = await tx.query<EndpointRow>(
    `UPDATE webhook_endpoints
        SET url = $2, description = $3, event_types = $4, updated_at = now(),
            status = CASE WHEN $5 THEN 'enabled' ELSE status END,
            disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END,
            failure_count = CASE WHEN $5 THEN 0 ELSE failure_count END,
            first_failure_at = CASE WHEN $5 THEN NULL ELSE first_failure_at END
      WHERE id = $1 RETURNING *`,
    [id, e.url, e.description, e.eventTypes, e.reEnable],
  );
  return rows[0] as EndpointRow;
}

export async function deleteEndpoint(tx: Queryable, id: string): Promise<void> {
  await tx.query('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
}

/** Enabled endpoints of the current tenant subscribed to `eventType` (by name or `*`). */
export async function endpointsFor(tx: Queryable, eventType: string): Promise<{ id: string }[]> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM webhook_endpoints
      WHERE status = 'enabled' AND ($1 = ANY (event_types) OR '*' = ANY (event_types)) ORDER BY id`,
    [eventType],
  );
  return rows;
}

/** A pending delivery, unless this endpoint already has one for this event (a redelivered outbox event). */
export async function insertDelivery(
  tx: Queryable,
  ctx: RequestContext,
  d: { id: string; endpointId: string; eventId: string; eventType: string; payload: DeliveryRow['payload'] },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, payload)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
    [d.id, requireTenant(ctx), d.endpointId, d.eventId, d.eventType, JSON.stringify(d.payload)],
  );
  return rowCount === 1;
}

/** Deliveries of one endpoint, newest first, `limit + 1` rows before `before`. */
export async function listDeliveries(
  tx: Queryable,
  endpointId: string,
  before: string | null,
  limit: number,
): Promise<DeliveryRow[]> {
  const { rows } = await tx.query<DeliveryRow>(
    `SELECT * FROM webhook_deliveries
      WHERE endpoint_id = $1 AND ($2::uuid IS NULL OR id < $2::uuid) ORDER BY id DESC LIMIT $3`,
    [endpointId, before, limit + 1],
  );
  return rows;
}

export async function attemptsOf(tx: Queryable, deliveryIds: string[]): Promise<AttemptRow[]> {
  const { rows } = await tx.query<AttemptRow>(
    `SELECT delivery_id, attempt, at, status_code, error, duration_ms FROM webhook_delivery_attempts
      WHERE delivery_id = ANY ($1::uuid[]) ORDER BY delivery_id, attempt`,
    [deliveryIds],
  );
  return rows;
}
