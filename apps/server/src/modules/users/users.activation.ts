import type { RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './users.repo.ts';
import { assertMayManage, assertOwnerRemains } from './users.rules.ts';
import type { UserDto } from './users.schemas.ts';
import { userNotFound, viewOf, type UsersDeps } from './users.service.ts';

/**
 * Deactivates a user: they can no longer sign in, and every session they hold ends in the same transaction (their
 * refresh tokens stop working; an access token already issued lives out its short life). Nobody deactivates
 * themselves (403 `cannot_deactivate_self`) or the last active owner (409 `last_owner`). Deactivating an inactive
 * user changes nothing.
 */
export function deactivateUser(deps: UsersDeps, ctx: RequestContext, id: string): Promise<UserDto> {
  if (id === ctx.actorId) {
    return Promise.reject(
      new AppError('cannot_deactivate_self', 'You cannot deactivate yourself; ask another owner or admin'),
    );
  }
  return tenantTx(deps.db, ctx, async (tx) => {
    const owners = await repo.lockActiveOwnerIds(tx);
    const user = await repo.lockUser(tx, id);
    if (user === undefined) throw userNotFound();
    assertMayManage(ctx, user);
    if (!user.active) return viewOf(tx, id);
    if (user.roles.includes('owner')) assertOwnerRemains(owners, id);
    await repo.updateUser(tx, id, { active: false });
    const revoked = await deps.endSessions(tx, id, 'user_deactivated');
    await recordAudit(tx, ctx, {
      action: 'user.deactivated',
      entityType: 'user',
      entityId: id,
      data: { revoked_sessions: revoked },
    });
    return viewOf(tx, id);
  });
}

/** Lets a deactivated user sign in again, with the roles, scope, password and PIN they had. */
export function reactivateUser(deps: UsersDeps, ctx: RequestContext, id: string): Promise<UserDto> {
  return tenantTx(deps.db, ctx, async (tx) => {
    await repo.lockActiveOwnerIds(tx);
    const user = await repo.lockUser(tx, id);
    if (user === undefined) throw userNotFound();
    assertMayManage(ctx, user);
    if (user.active) return viewOf(tx, id);
    await repo.updateUser(tx, id, { active: true });
    await recordAudit(tx, ctx, { action: 'user.reactivated', entityType: 'user', entityId: id });
    return viewOf(tx, id);
  });
}
