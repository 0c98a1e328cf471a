import type { RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { AuditContent } from './audit.hash.ts';

/** An audit row as PostgreSQL returns it: the hashed content, with the timestamp as a Date, plus the hashes. */
export type AuditEventRow = Omit<AuditContent, 'occurred_at'> & {
  readonly occurred_at: Date;
  readonly prev_hash: string;
  readonly hash: string;
};

/** Where the head of a chain says it is. */
export interface ChainHeadRow {
  readonly chain_key: string;
  readonly seq: number;
  readonly head_hash: string;
}

/** Filters of the audit list; every one is optional and they combine with AND. */
export interface AuditEventFilter {
  readonly actorId?: string | undefined;
  readonly action?: { readonly exact: string } | { readonly prefix: string } | undefined;
  readonly entityType?: string | undefined;
  readonly entityId?: string | undefined;
  /** Inclusive lower bound of occurred_at (ISO 8601). */
  readonly from?: string | undefined;
  /** Exclusive upper bound of occurred_at (ISO 8601). */
  readonly to?: string | undefined;
  /** Keyset position: rows strictly older than this (occurred_at, id). */
  readonly before?: { readonly occurredAt: string; readonly id: string } | undefined;
  readonly limit: number;
}

const COLUMN_NAMES = [
  'id',
  'tenant_id',
  'chain_key',
  'seq',
  'occurred_at',
  'actor_type',
  'actor_id',
  'action',
  'entity_type',
  'entity_id',
  'request_id',
  'data',
  'prev_hash',
  'hash',
] as const;

/** The select list of an audit row, optionally qualified by a table alias. */
function columns(alias?: string): string {
  return COLUMN_NAMES.map((c) => (alias === undefined ? c : `${alias}.${c}`)).join(', ');
}

/**
 * The tenant condition, spelled out although row-level security already applies it: the policy's
 * `IS NOT DISTINCT FROM` cannot use an index, `tenant_id = $n` can (audit_events_tenant_time).
 */
function tenantCondition(ctx: RequestContext, params: unknown[], column = 'tenant_id'): string {
  if (ctx.tenantId === undefined) return `${column} IS NULL`;
  params.push(ctx.tenantId);
  return `${column} = $${params.length}`;
}

/** One page of events, newest first, matching the filter; fetches `limit` rows (callers ask for one extra). */
export async function listEvents(
  tx: Queryable,
  ctx: RequestContext,
  filter: AuditEventFilter,
): Promise<AuditEventRow[]> {
  const params: unknown[] = [];
  const where = [tenantCondition(ctx, params)];
  const add = (sql: (p: string) => string, value: unknown): void => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filter.actorId !== undefined) add((p) => `actor_id = ${p}::uuid`, filter.actorId);
  if (filter.action !== undefined) {
    if ('exact' in filter.action) add((p) => `action = ${p}`, filter.action.exact);
    else add((p) => `starts_with(action, ${p})`, filter.action.prefix);
  }
  if (filter.entityType !== undefined) add((p) => `entity_type = ${p}`, filter.entityType);
  if (filter.entityId !== undefined) add((p) => `entity_id = ${p}`, filter.entityId);
  if (filter.from !== undefined) add((p) => `occurred_at >= ${p}::timestamptz`, filter.from);
  if (filter.to !== undefined) add((p) => `occurred_at < ${p}::timestamptz`, filter.to);
  if (filter.before !== undefined) {
    params.push(filter.before.occurredAt, filter.before.id);
    where.push(`(occurred_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(filter.limit);
  const { rows } = await tx.query<AuditEventRow>(
    `SELECT ${columns()} FROM audit_events WHERE ${where.join(' AND ')}
     ORDER BY occurred_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/** Every chain head of the context's tenant (or the platform), in the database's order of chain keys. */
export async function listChainHeads(tx: Queryable, ctx: RequestContext): Promise<ChainHeadRow[]> {
  const params: unknown[] = [];
  const { rows } = await tx.query<ChainHeadRow>(
    `SELECT chain_key, seq, head_hash FROM audit_chain_heads WHERE ${tenantCondition(ctx, params)} ORDER BY chain_key`,
    params,
  );
  return rows;
}

/**
 * The next batch of rows of the given chains, in (chain_key, seq) order, after the keyset position `after`.
 * Only rows up to each chain's head as read earlier are returned: rows appended since are not this run's to check.
 * The order of chain keys is the database's, the same as listChainHeads'.
 */
export async function readChainBatch(
  tx: Queryable,
  ctx: RequestContext,
  heads: readonly ChainHeadRow[],
  after: { readonly chainKey: string; readonly seq: number } | undefined,
  limit: number,
): Promise<AuditEventRow[]> {
  const params: unknown[] = [heads.map((h) => h.chain_key), heads.map((h) => h.seq)];
  const where = [tenantCondition(ctx, params, 'e.tenant_id'), 'e.seq <= h.head_seq'];
  if (after !== undefined) {
    params.push(after.chainKey, after.seq);
    where.push(`(e.chain_key, e.seq) > ($${params.length - 1}::text, $${params.length}::bigint)`);
  }
  params.push(limit);
  const { rows } = await tx.query<AuditEventRow>(
    `SELECT ${columns('e')}
     FROM audit_events e JOIN unnest($1::text[], $2::bigint[]) AS h (chain_key, head_seq) ON h.chain_key = e.chain_key
     WHERE ${where.join(' AND ')}
     ORDER BY e.chain_key, e.seq LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/**
 * The first event of a chain that has no head at all (its head row was deleted). One statement, so it cannot
 * mistake a chain being created right now for one without a head: an event and its head commit together.
 */
export async function findEventWithoutHead(
  tx: Queryable,
  ctx: RequestContext,
): Promise<{ id: string; chain_key: string } | undefined> {
  const params: unknown[] = [];
  const { rows } = await tx.query<{ id: string; chain_key: string }>(
    `SELECT e.id, e.chain_key FROM audit_events e
     WHERE ${tenantCondition(ctx, params, 'e.tenant_id')}
       AND NOT EXISTS (SELECT 1 FROM audit_chain_heads h WHERE h.chain_key = e.chain_key)
     ORDER BY e.chain_key, e.seq LIMIT 1`,
    params,
  );
  return rows[0];
}
