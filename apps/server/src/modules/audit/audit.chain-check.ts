import { auditHash, GENESIS_HASH, type AuditContent } from './audit.hash.ts';
import type { AuditEventRow, ChainHeadRow } from './audit.query.repo.ts';

/** Where and why a chain stops being trustworthy. */
export interface ChainBreak {
  readonly chainKey: string;
  /** The first row that does not fit; absent when rows are missing from the end of the chain. */
  readonly id?: string;
  readonly reason: string;
}

/**
 * The hashed content of a stored row, rebuilt exactly as recordAudit wrote it: `occurred_at` went in as
 * `Date#toISOString()` (millisecond precision, which timestamptz keeps), `data` as plain JSON that jsonb returns
 * with its keys reordered, which canonical JSON ignores.
 */
export function contentOf(row: AuditEventRow): AuditContent {
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    chain_key: row.chain_key,
    seq: row.seq,
    occurred_at: row.occurred_at.toISOString(),
    actor_type: row.actor_type,
    actor_id: row.actor_id,
    action: row.action,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    request_id: row.request_id,
    data: row.data,
  };
}

/**
 * Walks one chain row by row, in seq order, holding only the previous row's hash: a chain of any length is
 * checked in constant memory.
 */
export class ChainChecker {
  readonly head: ChainHeadRow;
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;

  constructor(head: ChainHeadRow) {
    this.head = head;
  }

  /** Checks the next row of the chain; the first rule it breaks is reported. */
  check(row: AuditEventRow): ChainBreak | undefined {
    const fail = (reason: string): ChainBreak => ({ chainKey: this.head.chain_key, id: row.id, reason });
    const expected = this.lastSeq + 1;
    if (row.seq !== expected) {
      return fail(
        this.lastSeq === 0
          ? `the chain starts at seq ${String(row.seq)} instead of 1: rows are missing`
          : `seq ${String(row.seq)} follows seq ${String(this.lastSeq)}: rows are missing`,
      );
    }
    if (row.prev_hash !== this.lastHash) {
      return fail(`prev_hash of seq ${String(row.seq)} is not the hash of the row before it`);
    }
    if (auditHash(row.prev_hash, contentOf(row)) !== row.hash) {
      return fail(`seq ${String(row.seq)} was altered: its content does not match its hash`);
    }
    this.lastSeq = row.seq;
    this.lastHash = row.hash;
    return undefined;
  }

  /** After the last row: the head must point at it, or rows were cut off the end (or the head was altered). */
  finish(): ChainBreak | undefined {
    const chainKey = this.head.chain_key;
    if (this.lastSeq === 0) {
      return {
        chainKey,
        reason: `the chain has no rows but its head is at seq ${String(this.head.seq)}: rows were deleted`,
      };
    }
    if (this.lastSeq !== this.head.seq) {
      return {
        chainKey,
        reason:
          `the chain ends at seq ${String(this.lastSeq)} but its head is at seq ${String(this.head.seq)}: ` +
          'rows were deleted from the end',
      };
    }
    if (this.lastHash !== this.head.head_hash) {
      return { chainKey, reason: `the chain head's hash does not match its last row (seq ${String(this.lastSeq)})` };
    }
    return undefined;
  }
}
