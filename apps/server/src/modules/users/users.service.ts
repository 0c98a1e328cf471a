import type { EndSessions } from '../../platform/app-deps.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { afterIdCursor, toPage } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import { makeOfflinePinVerifier } from '../../platform/offline-pins.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { pinLookup } from '../../platform/pins.ts';
import { recordAudit } from '../audit/index.ts';
import { findActiveLocationIds } from '../tenancy/index.ts';
import { saveOfflinePin } from './offline-pins.repo.ts';
import * as repo from './users.repo.ts';
import { assertMayGrant, sortRoles } from './users.rules.ts';
import type { CreateUserInput, UserDto, UserListInput } from './users.schemas.ts';

/** What the users service needs from the app. */
export interface UsersDeps {
  readonly db: Database;
  /** Keys PIN lookups (see platform/pins.ts). */
  readonly pinPepper: string;
  /** Ends a user's sessions in the caller's transaction (auth's, passed in: users may not import auth). */
  readonly endSessions: EndSessions;
}

const DEFAULT_LIMIT = 50;

export function userNotFound(): AppError {
  return new AppError('user_not_found', 'No user with this id');
}

export function toUserDto(v: repo.UserView): UserDto {
  return {
    id: v.id,
    email: v.email,
    display_name: v.display_name,
    roles: sortRoles(v.roles),
    location_ids: v.location_ids,
    active: v.active,
    has_pin: v.has_pin,
    has_password: v.has_password,
    last_login_at: v.last_login_at?.toISOString() ?? null,
    created_at: v.created_at.toISOString(),
    updated_at: v.updated_at.toISOString(),
  };
}

/** The stored view of a user just written in this transaction. */
export async function viewOf(tx: Tx, id: string): Promise<UserDto> {
  const view = await repo.findUserView(tx, id);
  if (view === undefined) throw userNotFound();
  return toUserDto(view);
}

function emailTaken(): AppError {
  return new AppError('email_taken', 'Another account already signs in with this e-mail', {
    errors: [{ field: 'email', message: 'is already used (e-mails are compared case-insensitively)' }],
  });
}

/** Turns the database's verdict on a duplicate e-mail or PIN into the problem a client can act on. */
export function conflictOf(err: unknown): unknown {
  if (isUniqueViolation(err, 'users_email_unique')) return emailTaken();
  if (isUniqueViolation(err, 'users_pin_unique')) {
    return new AppError('pin_taken', 'Another user of this tenant has this PIN; choose another', {
      errors: [{ field: 'pin', message: 'is already used by another user of this tenant' }],
    });
  }
  return err;
}

/** Checks a location scope: every id must be an active location of the tenant, else 400 naming the entry. */
export async function checkLocationScope(tx: Tx, ids: readonly string[]): Promise<string[]> {
  const active = new Set(await findActiveLocationIds(tx, ids));
  const bad = ids.findIndex((id) => !active.has(id));
  if (bad >= 0) throw invalidField(`location_ids[${bad}]`, 'is not an active location of this tenant');
  return [...ids].sort();
}

/** A display name as stored: trimmed; blank is refused. */
export function cleanDisplayName(value: string): string {
  const name = value.trim();
  if (name === '') throw invalidField('display_name', 'must not be blank');
  return name;
}

/** Users of the tenant, filtered by role, active flag and a search in e-mail and name. */
export function listUsers(
  deps: UsersDeps,
  ctx: RequestContext,
  q: UserListInput,
): Promise<{ data: UserDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const after = afterIdCursor(q.cursor);
  return tenantTx(deps.db, ctx, async (tx) => {
    const rows = await repo.listUsers(tx, {
      role: q.role ?? null,
      active: q.active ?? null,
      q: q.q ?? null,
      after,
      limit,
    });
    const page = toPage(rows, limit, (last) => ({ id: last.id }));
    return { data: page.data.map(toUserDto), next_cursor: page.next_cursor };
  });
}

export function getUser(deps: UsersDeps, ctx: RequestContext, id: string): Promise<UserDto> {
  return tenantTx(deps.db, ctx, (tx) => viewOf(tx, id));
}

/**
 * Creates a user with roles, an optional location scope, password and PIN. E-mails and PINs are unique in the
 * tenant (409 `email_taken`, `pin_taken`); the database decides, so two concurrent creations cannot both win.
 */
export async function createUser(deps: UsersDeps, ctx: RequestContext, input: CreateUserInput): Promise<UserDto> {
  assertMayGrant(ctx, input.roles);
  const roles = sortRoles(input.roles);
  const displayName = cleanDisplayName(input.display_name);
  const email = input.email.trim();
  const tenantId = ctx.tenantId;
  if (tenantId === undefined) throw new AppError('forbidden', 'Users belong to a tenant');
  // Hash before the transaction: argon2 is slow on purpose and must not hold a connection.
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const pin = input.pin === undefined ? null : pinLookup(deps.pinPepper, tenantId, input.pin);
  // The till's offline verifier of the PIN (docs/security.md): the server sees the PIN only now and at sign-ins.
  const offlinePin = input.pin === undefined ? undefined : await makeOfflinePinVerifier(input.pin);
  return tenantTx(deps.db, ctx, async (tx) => {
    if (await repo.emailSignsInAsOperator(tx, email)) throw emailTaken();
    const locationIds = await checkLocationScope(tx, input.location_ids ?? []);
    const id = newId();
    await repo
      .insertUser(tx, ctx, { id, email, displayName, passwordHash, pinLookup: pin, roles })
      .catch((err: unknown) => {
        throw conflictOf(err);
      });
    await repo.setUserLocations(tx, ctx, id, locationIds);
    if (pin !== null && offlinePin !== undefined) await saveOfflinePin(tx, ctx, id, pin, offlinePin);
    await recordAudit(tx, ctx, {
      action: 'user.created',
      entityType: 'user',
      entityId: id,
      data: {
        email,
        display_name: displayName,
        roles,
        location_ids: locationIds,
        has_pin: pin !== null,
        has_password: passwordHash !== null,
      },
    });
    return viewOf(tx, id);
  });
}
