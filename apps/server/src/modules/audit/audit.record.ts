import type { RequestContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { newId } from '../../platform/ids.ts';
import { auditHash, type AuditContent } from './audit.hash.ts';
import { advanceChainHead, insertEvent } from './audit.repo.ts';

/** What happened, as a service reports it. `data` carries before/after or other facts; never secrets. */
export interface AuditEntry {
  /** `entity.verb_past`, e.g. `user.roles_changed`, `auth.login_failed`. */
  readonly action: string;
  readonly entityType: string;
  readonly entityId?: string | undefined;
  readonly data?: Record<string, unknown>;
  /** Overrides the context's actor, e.g. a failed login names the account tried. */
  readonly actorId?: string | undefined;
}

/**
 * The chain an event belongs to: its register's for till events, else its tenant's back-office chain, else the
 * platform chain. Sales on different registers never wait on one another's chain head.
 */
export function chainKeyOf(ctx: RequestContext): string {
  if (ctx.tenantId === undefined) return 'platform';
  if (ctx.registerId !== undefined) return `register:${ctx.registerId}`;
  return `tenant:${ctx.tenantId}`;
}

/**
 * Appends an event to the audit log inside the caller's transaction: it exists if and only if the change it
 * records commits.
 */
export async function recordAudit(tx: Tx, ctx: RequestContext, entry: AuditEntry): Promise<string> {
  const chainKey = chainKeyOf(ctx);
  const tenantId = ctx.tenantId ?? null;
  const { seq, prevHash } = await advanceChainHead(tx, chainKey, tenantId);
  const content: AuditContent = {
    id: newId(),
    tenant_id: tenantId,
    chain_key: chainKey,
    seq,
    occurred_at: new Date().toISOString(),
    actor_type: ctx.actorType,
    actor_id: entry.actorId ?? ctx.actorId ?? null,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId ?? null,
    request_id: ctx.requestId ?? null,
    // Stored as jsonb and hashed as it will read back: plain JSON values only.
    data: JSON.parse(JSON.stringify(entry.data ?? {})) as unknown,
  };
  await insertEvent(tx, { ...content, prev_hash: prevHash, hash: auditHash(prevHash, content) });
  return content.id;
}
