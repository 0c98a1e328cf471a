import { DISCOUNT_APPROVER_ROLES, hasAnyRole } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { findUserByPin, pinLookup } from '../auth/index.ts';
import { findTillRegister } from '../tenancy/index.ts';
import { APPROVAL_TTL_SECONDS, signApproval, verifyApproval } from './pos.approvals.ts';
import type { ReplayApprovalInput } from './pos.schemas.ts';
import type { PosDeps } from './pos.service.ts';

/** A replay resolution a manager approves: keep the till's prices, or sell what stock is short. */
export type ReplayApprovalKind = ReplayApprovalInput['kind'];

/**
 * A manager approves, by PIN at the till, one resolution of one refused offline sale (docs/pos.md "Replay"): the
 * same signed token as a discount approval, with a kind, bound to the tenant, the register and the sale's client
 * id. Both outcomes are audited; a wrong PIN counts against the register's PIN rate limit. The register may have
 * been archived since the sale: the approval is still given (the sale can then only be cancelled, but the
 * approval itself is not refused for it).
 */
export async function approveReplay(deps: PosDeps, ctx: RequestContext, input: ReplayApprovalInput) {
  await deps.pinLimiter.consume(`approval:${input.register_id}`);
  const tenantId = ctx.tenantId;
  if (tenantId === undefined) throw new AppError('forbidden', 'Sign in to a shop first');
  const at: RequestContext = { ...ctx, registerId: input.register_id };
  const outcome = await tenantTx(deps.db, at, async (tx) => {
    const register = await findTillRegister(tx, input.register_id);
    if (register === undefined || (ctx.locationIds.length > 0 && !ctx.locationIds.includes(register.location_id))) {
      return { error: new AppError('register_not_found', 'No register has this id') };
    }
    const manager = await findUserByPin(tx, pinLookup(deps.secrets.pinPepper, tenantId, input.pin));
    if (manager === undefined || !manager.active || !hasAnyRole(manager.roles, DISCOUNT_APPROVER_ROLES)) {
      await recordAudit(tx, at, {
        action: 'pos.replay_approval_refused',
        entityType: 'order',
        entityId: input.order_id,
        data: { kind: input.kind },
      });
      return { error: new AppError('invalid_pin', 'That PIN is not a manager’s') };
    }
    const approvalId = newId();
    await recordAudit(tx, at, {
      action: 'pos.replay_approved',
      entityType: 'order',
      entityId: input.order_id,
      data: { approval_id: approvalId, kind: input.kind, manager_id: manager.id, cashier_id: ctx.actorId ?? null },
    });
    return { manager, approvalId };
  });
  if ('error' in outcome) throw outcome.error as AppError;
  const approval = await signApproval(deps.secrets.jwtPrivateKey, deps.config.jwt.issuer, {
    kind: input.kind,
    approval_id: outcome.approvalId,
    tenant_id: tenantId,
    register_id: input.register_id,
    order_id: input.order_id,
    manager_id: outcome.manager.id,
  });
  return {
    approval,
    approval_id: outcome.approvalId,
    kind: input.kind,
    manager_id: outcome.manager.id,
    manager_name: outcome.manager.display_name,
    expires_at: new Date(Date.now() + APPROVAL_TTL_SECONDS * 1000).toISOString(),
  };
}

/**
 * The manager and approval id of a valid replay approval of `kind` for this very sale (tenant, register, client
 * id), or a 403 `invalid_approval`. Called by the orders service when a replayed sale carries a resolution.
 */
export async function requireReplayApproval(
  deps: Pick<PosDeps, 'config' | 'secrets'>,
  ctx: RequestContext,
  token: string | undefined,
  expected: { kind: ReplayApprovalKind; register_id: string; order_id: string },
): Promise<{ approval_id: string; manager_id: string }> {
  if (token === undefined) {
    throw new AppError(
      'replay_approval_required',
      `Resolving this sale by ${expected.kind} needs a manager's approval`,
      {
        extra: { kind: expected.kind },
      },
    );
  }
  const approval = await verifyApproval(deps.secrets.jwtPrivateKey, deps.config.jwt.issuer, token, expected.kind);
  if (
    approval === undefined ||
    approval.tenant_id !== ctx.tenantId ||
    approval.register_id !== expected.register_id ||
    approval.order_id !== expected.order_id
  ) {
    throw new AppError('invalid_approval', 'The approval is not valid for this sale');
  }
  return { approval_id: approval.approval_id, manager_id: approval.manager_id };
}
