import { createHash } from 'node:crypto';
import { canonicalJson } from '@novapos/domain';

/** The fields of an audit row that its hash covers (everything but the hashes themselves). */
export interface AuditContent {
  readonly id: string;
  readonly tenant_id: string | null;
  readonly chain_key: string;
  readonly seq: number;
  readonly occurred_at: string;
  readonly actor_type: string;
  readonly actor_id: string | null;
  readonly action: string;
  readonly entity_type: string;
  readonly entity_id: string | null;
  readonly request_id: string | null;
  readonly data: unknown;
}

/** The hash of the first row of a chain's predecessor. */
export const GENESIS_HASH = '';

/**
 * sha256(prev_hash ‖ "\n" ‖ RFC 8785 canonical JSON of the row), hex. Canonical JSON makes the hash independent
 * of key order and of how PostgreSQL's jsonb re-serialises the data.
 */
export function auditHash(prevHash: string, content: AuditContent): string {
  const canonical = canonicalJson(content);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}
