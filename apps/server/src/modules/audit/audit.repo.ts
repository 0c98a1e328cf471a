import { prepared, type Queryable } from '../../platform/db/database.ts';
import type { AuditContent } from './audit.hash.ts';

const ADVANCE_HEAD_SQL = prepared(
  'audit_advance_head',
  `INSERT INTO audit_chain_heads AS h (chain_key, tenant_id, seq, head_hash) VALUES ($1, $2, 1, '')
   ON CONFLICT (chain_key) DO UPDATE SET seq = h.seq + 1
   RETURNING seq, head_hash`,
);

const INSERT_EVENT_SQL = prepared(
  'audit_insert_event',
  `WITH ins AS (
     INSERT INTO audit_events (id, tenant_id, chain_key, seq, occurred_at, actor_type, actor_id, action,
                               entity_type, entity_id, request_id, data, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14))
   UPDATE audit_chain_heads SET head_hash = $14 WHERE chain_key = $3`,
);

/**
 * Moves a chain's head one step and returns the new sequence number with the previous hash. The upsert takes
 * the head row's lock, so writers of one chain queue here and writers of other chains do not.
 */
export async function advanceChainHead(
  tx: Queryable,
  chainKey: string,
  tenantId: string | null,
): Promise<{ seq: number; prevHash: string }> {
  const { rows } = await tx.query<{ seq: number; head_hash: string }>(ADVANCE_HEAD_SQL, [chainKey, tenantId]);
  const row = rows[0];
  if (row === undefined) throw new Error('audit chain head not returned');
  return { seq: row.seq, prevHash: row.head_hash };
}

/** Inserts the event and records its hash as the chain's head, in one statement. */
export async function insertEvent(
  tx: Queryable,
  row: AuditContent & { prev_hash: string; hash: string },
): Promise<void> {
  await tx.query(INSERT_EVENT_SQL, [
    row.id,
    row.tenant_id,
    row.chain_key,
    row.seq,
    row.occurred_at,
    row.actor_type,
    row.actor_id,
    row.action,
    row.entity_type,
    row.entity_id,
    row.request_id,
    JSON.stringify(row.data),
    row.prev_hash,
    row.hash,
  ]);
}
