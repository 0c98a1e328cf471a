import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { platformTx, tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import { ChainChecker, type ChainBreak } from './audit.chain-check.ts';
import * as repo from './audit.query.repo.ts';
import type { AuditEventDto, AuditEventsQuery, AuditVerifyResult } from './audit.schemas.ts';

/** Rows per query when verifying: a big log is streamed, never loaded at once. */
export const VERIFY_BATCH_SIZE = 1000;

const DEFAULT_LIMIT = 50;

/**
 * A transaction that sees the caller's audit log: the tenant's under row-level security, or the platform chain
 * for a superadmin, whose token carries no tenant.
 */
function auditTx<T>(db: Database, ctx: RequestContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (ctx.tenantId !== undefined) return tenantTx(db, ctx, fn);
  if (ctx.roles.includes('superadmin')) return platformTx(db, fn);
  return Promise.reject(new AppError('forbidden', 'The audit log belongs to a tenant or to the platform'));
}

/** `auth.*` filters by the prefix `auth.`; anything else must match exactly. */
function actionFilter(action: string | undefined): repo.AuditEventFilter['action'] {
  if (action === undefined) return undefined;
  return action.endsWith('.*') ? { prefix: action.slice(0, -1) } : { exact: action };
}

/** The keyset position a cursor names; anything we did not issue is a 400 rather than a database error. */
function decodeListCursor(cursor: string): { occurredAt: string; id: string } {
  const key = decodeCursor(cursor, ['occurred_at', 'id']);
  const time = new Date(key.occurred_at);
  if (!isUuid(key.id) || Number.isNaN(time.getTime()) || time.toISOString() !== key.occurred_at) {
    throw new AppError('invalid_cursor', 'The cursor is not one this API issued');
  }
  return { occurredAt: key.occurred_at, id: key.id };
}

function toDto(row: repo.AuditEventRow): AuditEventDto {
  return {
    id: row.id,
    chain_key: row.chain_key,
    seq: row.seq,
    occurred_at: row.occurred_at.toISOString(),
    actor_type: row.actor_type as AuditEventDto['actor_type'],
    actor_id: row.actor_id,
    action: row.action,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    request_id: row.request_id,
    data: row.data as AuditEventDto['data'],
    hash: row.hash,
    prev_hash: row.prev_hash,
  };
}

/**
 * Lists audit events of the caller's tenant (or the platform chain for a superadmin), newest first, filtered and
 * cursor-paginated on (occurred_at, id).
 */
export async function listEvents(
  db: Database,
  ctx: RequestContext,
  query: AuditEventsQuery,
): Promise<{ data: AuditEventDto[]; next_cursor: string | null }> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const before = query.cursor === undefined ? undefined : decodeListCursor(query.cursor);
  if (query.from !== undefined && query.to !== undefined && Date.parse(query.from) > Date.parse(query.to)) {
    throw invalidField('to', 'must not be before from');
  }
  const rows = await auditTx(db, ctx, (tx) =>
    repo.listEvents(tx, ctx, {
      actorId: query.actor_id,
      action: actionFilter(query.action),
      entityType: query.entity_type,
      entityId: query.entity_id,
      from: query.from,
      to: query.to,
      before,
      limit: limit + 1,
    }),
  );
  return toPage(rows.map(toDto), limit, (last) => ({ occurred_at: last.occurred_at, id: last.id }));
}

/**
 * Recomputes every chain of the caller's tenant (or the platform chain): seq contiguous from 1, each prev_hash the
 * hash of the row before, each hash recomputed from the row, and each chain head pointing at the chain's last row.
 * Rows are read in batches keyed on (chain_key, seq). The heads are read first and each chain is checked up to
 * its head as read then, so events written while the check runs do not look like tampering. Stops at the first
 * break.
 */
export async function verifyChains(
  db: Database,
  ctx: RequestContext,
  options: { batchSize?: number } = {},
): Promise<AuditVerifyResult> {
  const batchSize = options.batchSize ?? VERIFY_BATCH_SIZE;
  return auditTx(db, ctx, async (tx) => {
    const heads = await repo.listChainHeads(tx, ctx);
    const headOf = new Map(heads.map((h) => [h.chain_key, h]));
    const started = new Set<string>();
    let checked = 0;
    const broken = (b: ChainBreak): AuditVerifyResult => ({
      ok: false,
      checked,
      chains: heads.length,
      ...(b.id === undefined ? {} : { first_bad_id: b.id }),
      first_bad_chain: b.chainKey,
      reason: b.reason,
    });

    let checker: ChainChecker | undefined;
    let after: { chainKey: string; seq: number } | undefined;
    while (heads.length > 0) {
      const rows = await repo.readChainBatch(tx, ctx, heads, after, batchSize);
      for (const row of rows) {
        if (checker?.head.chain_key !== row.chain_key) {
          const ended = checker?.finish();
          if (ended !== undefined) return broken(ended);
          const head = headOf.get(row.chain_key);
          // The query joins on the heads it was given, so every row has one.
          if (head === undefined) throw new Error(`audit row of an unknown chain ${row.chain_key}`);
          checker = new ChainChecker(head);
          started.add(row.chain_key);
        }
        const bad = checker.check(row);
        if (bad !== undefined) return broken(bad);
        checked++;
      }
      const last = rows.at(-1);
      if (rows.length < batchSize || last === undefined) break;
      after = { chainKey: last.chain_key, seq: last.seq };
    }
    const ended = checker?.finish();
    if (ended !== undefined) return broken(ended);
    // A head whose chain has no rows at all: every row of it was deleted.
    for (const head of heads) {
      if (started.has(head.chain_key)) continue;
      const empty = new ChainChecker(head).finish();
      if (empty !== undefined) return broken(empty);
    }
    const orphan = await repo.findEventWithoutHead(tx, ctx);
    if (orphan !== undefined) {
      return broken({
        chainKey: orphan.chain_key,
        id: orphan.id,
        reason: 'this chain has events but no chain head: the head was deleted',
      });
    }
    return { ok: true, checked, chains: heads.length };
  });
}
