import type { RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { APPROVAL_TTL_SECONDS, signApproval, verifyApproval } from './pos.approvals.ts';
import type { ReplayApprovalInput } from './pos.schemas.ts';
import { managerApproval, type PosDeps } from './pos.service.ts';

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
  const { manager, approvalId } = await managerApproval(deps, ctx, input, {
    approved: 'pos.replay_approved',
    refused: 'pos.replay_approval_refused',
    data: { kind: input.kind },
    archivedRegister: 'allowed',
  });
  const approval = await signApproval(deps.secrets.jwtPrivateKey, deps.config.jwt.issuer, {
    kind: input.kind,
    approval_id: approvalId,
    tenant_id: ctx.tenantId ?? '',
    register_id: input.register_id,
    order_id: input.order_id,
    manager_id: manager.id,
  });
  return {
    approval,
    approval_id: approvalId,
    kind: input.kind,
    manager_id: manager.id,
    manager_name: manager.display_name,
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
