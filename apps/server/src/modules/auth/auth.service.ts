import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Role } from '@novapos/domain';
import type { Config } from '../../platform/config.ts';
import { anonymousContext, type RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { platformTx, tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { TokenService } from '../../platform/tokens.ts';
import { recordAudit } from '../audit/index.ts';
import { findRegister } from '../tenancy/index.ts';
import { saveOfflinePin, touchOfflinePin, userLocationIds } from '../users/index.ts';
import * as repo from './auth.repo.ts';
import type { AccountKind, AccountRow } from './auth.repo.ts';
import { decoyHash, verifyPassword } from '../../platform/passwords.ts';
import { pinLookup } from '../../platform/pins.ts';
import { makeOfflinePinVerifier } from '../../platform/offline-pins.ts';

export interface AuthDeps {
  readonly db: Database;
  readonly config: Config;
  readonly tokens: TokenService;
  readonly metrics: Metrics;
  readonly pinPepper: string;
}

/** The answer of every sign-in and refresh. */
export interface TokenPair {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newRefreshToken(): string {
  return `rt_${randomBytes(32).toString('base64url')}`;
}

/** The transaction of an account's home: its tenant, or the platform for operators. */
function accountTx<T>(db: Database, ctx: RequestContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.tenantId === undefined ? platformTx(db, fn) : tenantTx(db, ctx, fn);
}

function lockedError(until: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new AppError('account_locked', 'Too many failed sign-ins; the account is locked for now', {
    headers: { 'Retry-After': String(seconds) },
    extra: { locked_until: until.toISOString() },
  });
}

interface Session {
  readonly kind: AccountKind;
  readonly account: AccountRow;
  readonly locationIds: readonly string[];
  readonly registerId: string | undefined;
}

/** Opens a session: a new refresh-token family and an access token. Runs inside the account's transaction. */
async function openSession(deps: AuthDeps, tx: Tx, ctx: RequestContext, s: Session): Promise<TokenPair> {
  const familyId = newId();
  const refreshToken = newRefreshToken();
  await repo.insertRefreshToken(tx, {
    id: newId(),
    tenantId: ctx.tenantId ?? null,
    subjectId: s.account.id,
    familyId,
    tokenHash: hashToken(refreshToken),
    registerId: s.registerId ?? null,
    ttlSeconds: deps.config.jwt.refreshTtlSeconds,
  });
  const accessToken = await deps.tokens.sign({
    sub: s.account.id,
    tid: ctx.tenantId,
    roles: s.account.roles,
    loc: s.locationIds,
    reg: s.registerId,
    sid: familyId,
    kind: s.kind,
  });
  return {
    access_token: accessToken,
    refresh_token: refreshToken,
    token_type: 'Bearer',
    expires_in: deps.tokens.accessTtlSeconds,
  };
}

/**
 * Signs in with e-mail and password. Failed attempts count towards the account's lockout (LOCKOUT_THRESHOLD in
 * LOCKOUT_WINDOW_SECONDS locks it for LOCKOUT_DURATION_SECONDS) and are audited; the failure is committed
 * before the error is returned.
 */
export async function login(
  deps: AuthDeps,
  requestId: string,
  input: { email: string; password: string; tenant_id?: string | undefined },
): Promise<TokenPair> {
  const candidates = (await platformTx(deps.db, (tx) => repo.findLoginCandidates(tx, input.email))).filter((c) =>
    input.tenant_id === undefined ? true : c.tenant_id === input.tenant_id,
  );
  if (candidates.length > 1) {
    throw new AppError('tenant_id_required', 'This e-mail signs in to several tenants: send tenant_id too');
  }
  const candidate = candidates[0];
  if (candidate === undefined) {
    // Same work as a wrong password, so timing does not reveal which e-mails exist.
    await verifyPassword(await decoyHash(), input.password);
    deps.metrics.loginFailures.inc({ reason: 'unknown_account' });
    throw new AppError('invalid_credentials', 'The e-mail or password is wrong');
  }
  const ctx = anonymousContext(requestId, candidate.tenant_id ?? undefined);
  const account = await accountTx(deps.db, ctx, (tx) => repo.findAccount(tx, candidate.kind, candidate.subject_id));
  if (account === undefined) throw new AppError('invalid_credentials', 'The e-mail or password is wrong');
  if (account.locked_until !== null && account.locked_until > new Date()) {
    deps.metrics.loginFailures.inc({ reason: 'locked' });
    throw lockedError(account.locked_until);
  }
  const ok = account.password_hash !== null && (await verifyPassword(account.password_hash, input.password));
  if (!ok) {
    const policy = deps.config.login;
    const failure = await accountTx(deps.db, ctx, async (tx) => {
      const result = await repo.recordFailedLogin(tx, candidate.kind, account.id, {
        threshold: policy.lockoutThreshold,
        windowSeconds: policy.lockoutWindowSeconds,
        lockSeconds: policy.lockoutDurationSeconds,
      });
      await recordAudit(tx, ctx, {
        action: 'auth.login_failed',
        entityType: candidate.kind,
        entityId: account.id,
        actorId: account.id,
        data: { failed_count: result.count },
      });
      if (result.lockedNow) {
        await recordAudit(tx, ctx, {
          action: 'auth.account_locked',
          entityType: candidate.kind,
          entityId: account.id,
          actorId: account.id,
          data: { locked_until: result.lockedUntil?.toISOString() ?? null, failed_count: result.count },
        });
      }
      return result;
    });
    deps.metrics.loginFailures.inc({ reason: 'wrong_password' });
    if (failure.lockedUntil !== null && failure.lockedUntil > new Date()) throw lockedError(failure.lockedUntil);
    throw new AppError('invalid_credentials', 'The e-mail or password is wrong');
  }
  if (!account.active) throw new AppError('account_inactive', 'This account has been deactivated');

  return accountTx(deps.db, ctx, async (tx) => {
    await repo.recordSuccessfulLogin(tx, candidate.kind, account.id);
    const locationIds = candidate.kind === 'user' ? await userLocationIds(tx, account.id) : [];
    const actor: RequestContext = { ...ctx, actorType: candidate.kind, actorId: account.id, roles: account.roles };
    await recordAudit(tx, actor, { action: 'auth.login_succeeded', entityType: candidate.kind, entityId: account.id });
    return openSession(deps, tx, actor, { kind: candidate.kind, account, locationIds, registerId: undefined });
  });
}

/**
 * Signs a cashier in at a register with their PIN. The register names the tenant; the PIN names the user
 * (PINs are unique within a tenant). Attempts are rate-limited per register by the route.
 */
export async function pinLogin(
  deps: AuthDeps,
  requestId: string,
  input: { register_id: string; pin: string },
  log?: Pick<Logger, 'warn'>,
): Promise<TokenPair> {
  const tenantId = await platformTx(deps.db, (tx) => repo.findRegisterTenant(tx, input.register_id));
  if (tenantId === undefined) throw new AppError('register_not_found', 'No active register has this id');
  const ctx: RequestContext = { ...anonymousContext(requestId, tenantId), registerId: input.register_id };
  const lookup = pinLookup(deps.pinPepper, tenantId, input.pin);
  type Outcome = { tokens: TokenPair; userId: string; hasOfflinePin: boolean } | { error: AppError };
  const outcome = await tenantTx(deps.db, ctx, async (tx): Promise<Outcome> => {
    const found = await findRegister(tx, input.register_id);
    const register = found?.archived_at === null ? found : undefined;
    if (register === undefined) return { error: new AppError('register_not_found', 'No active register has this id') };
    const account = await repo.findUserByPin(tx, lookup);
    if (account === undefined || !account.active) {
      await recordAudit(tx, ctx, { action: 'auth.pin_failed', entityType: 'register', entityId: register.id });
      deps.metrics.loginFailures.inc({ reason: 'wrong_pin' });
      return { error: new AppError('invalid_pin', 'The PIN is wrong') };
    }
    if (account.locked_until !== null && account.locked_until > new Date())
      return { error: lockedError(account.locked_until) };
    const locationIds = await userLocationIds(tx, account.id);
    if (locationIds.length > 0 && !locationIds.includes(register.location_id)) {
      return { error: new AppError('forbidden', 'You are not allowed to work at this location') };
    }
    const actor: RequestContext = { ...ctx, actorType: 'user', actorId: account.id, roles: account.roles };
    await repo.recordSuccessfulLogin(tx, 'user', account.id);
    await recordAudit(tx, actor, { action: 'auth.pin_login_succeeded', entityType: 'user', entityId: account.id });
    return {
      tokens: await openSession(deps, tx, actor, { kind: 'user', account, locationIds, registerId: register.id }),
      userId: account.id,
      // The PIN just succeeded online: the tills' grace window for it starts again (docs/security.md).
      hasOfflinePin: await touchOfflinePin(tx, account.id, lookup),
    };
  });
  // The failure's audit row is committed; now report it.
  if ('error' in outcome) throw outcome.error;
  if (!outcome.hasOfflinePin) await addOfflinePin(deps, ctx, { userId: outcome.userId, lookup, pin: input.pin }, log);
  return outcome.tokens;
}

/**
 * Makes the offline verifier of a PIN set before verifiers existed (or lost with a PIN change), after the sign-in
 * committed: the hash is slow and must not hold the sign-in's transaction. Best effort: the sign-in has succeeded
 * whatever happens here, and the next one tries again.
 */
async function addOfflinePin(
  deps: AuthDeps,
  ctx: RequestContext,
  p: { userId: string; lookup: string; pin: string },
  log: Pick<Logger, 'warn'> | undefined,
): Promise<void> {
  try {
    const verifier = await makeOfflinePinVerifier(p.pin);
    await tenantTx(deps.db, ctx, (tx) => saveOfflinePin(tx, ctx, p.userId, p.lookup, verifier));
  } catch (err) {
    log?.warn({ err, user_id: p.userId }, 'could not store the offline PIN verifier');
  }
}

/**
 * Exchanges a refresh token for a new pair. Each token works once: presenting a used token again means it was
 * stolen (or replayed), so its whole family is revoked and every session descended from that sign-in ends.
 */
export async function refresh(deps: AuthDeps, requestId: string, refreshToken: string): Promise<TokenPair> {
  const tokenHash = hashToken(refreshToken);
  const owner = await platformTx(deps.db, (tx) => repo.findRefreshTokenTenant(tx, tokenHash));
  if (owner === undefined) throw new AppError('invalid_refresh_token', 'The refresh token is not valid');
  const ctx = anonymousContext(requestId, owner.tenantId ?? undefined);
  const outcome = await accountTx(deps.db, ctx, async (tx): Promise<{ tokens: TokenPair } | { error: AppError }> => {
    const row = await repo.lockRefreshToken(tx, tokenHash);
    if (row === undefined || row.revoked_at !== null || row.expires_at < new Date()) {
      return { error: new AppError('invalid_refresh_token', 'The refresh token is not valid') };
    }
    const kind: AccountKind = row.tenant_id === null ? 'platform_user' : 'user';
    if (row.used_at !== null) {
      const revoked = await repo.revokeFamily(tx, row.family_id, 'reuse_detected');
      await recordAudit(tx, ctx, {
        action: 'auth.refresh_token_reused',
        entityType: kind,
        entityId: row.subject_id,
        actorId: row.subject_id,
        data: { family_id: row.family_id, revoked_tokens: revoked },
      });
      return { error: new AppError('refresh_token_reused', 'This refresh token was already used; sign in again') };
    }
    const account = await repo.findAccount(tx, kind, row.subject_id);
    if (account === undefined || !account.active) {
      await repo.revokeFamily(tx, row.family_id, 'account_inactive');
      return { error: new AppError('invalid_refresh_token', 'The refresh token is not valid') };
    }
    await repo.markRefreshTokenUsed(tx, row.id);
    const next = newRefreshToken();
    await repo.insertRefreshToken(tx, {
      id: newId(),
      tenantId: row.tenant_id,
      subjectId: row.subject_id,
      familyId: row.family_id,
      tokenHash: hashToken(next),
      registerId: row.register_id,
      ttlSeconds: deps.config.jwt.refreshTtlSeconds,
    });
    // Roles and scope are read afresh, so a change takes effect at the next refresh.
    const locationIds = kind === 'user' ? await userLocationIds(tx, account.id) : [];
    const access = await deps.tokens.sign({
      sub: account.id,
      tid: row.tenant_id ?? undefined,
      roles: account.roles,
      loc: locationIds,
      reg: row.register_id ?? undefined,
      sid: row.family_id,
      kind,
    });
    return {
      tokens: {
        access_token: access,
        refresh_token: next,
        token_type: 'Bearer',
        expires_in: deps.tokens.accessTtlSeconds,
      },
    };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.tokens;
}

/** Ends the session of a refresh token (its whole family). Unknown tokens are ignored: logout always succeeds. */
export async function logout(deps: AuthDeps, requestId: string, refreshToken: string): Promise<void> {
  const tokenHash = hashToken(refreshToken);
  const owner = await platformTx(deps.db, (tx) => repo.findRefreshTokenTenant(tx, tokenHash));
  if (owner === undefined) return;
  const ctx = anonymousContext(requestId, owner.tenantId ?? undefined);
  await accountTx(deps.db, ctx, async (tx) => {
    const row = await repo.lockRefreshToken(tx, tokenHash);
    if (row === undefined) return;
    const revoked = await repo.revokeFamily(tx, row.family_id, 'logout');
    if (revoked > 0) {
      const kind: AccountKind = row.tenant_id === null ? 'platform_user' : 'user';
      await recordAudit(
        tx,
        { ...ctx, actorType: kind, actorId: row.subject_id, registerId: row.register_id ?? undefined },
        {
          action: 'auth.logged_out',
          entityType: kind,
          entityId: row.subject_id,
        },
      );
    }
  });
}

/** Who the bearer is. */
export interface Me {
  readonly id: string;
  readonly kind: AccountKind;
  readonly email: string;
  readonly display_name: string;
  readonly roles: Role[];
  readonly tenant_id: string | null;
  readonly location_ids: string[];
  readonly register_id: string | null;
}

export async function me(deps: AuthDeps, ctx: RequestContext): Promise<Me> {
  const kind: AccountKind = ctx.actorType === 'platform_user' ? 'platform_user' : 'user';
  const actorId = ctx.actorId;
  if (actorId === undefined) throw new AppError('unauthorized', 'Sign in first');
  const account = await accountTx(deps.db, ctx, (tx) => repo.findAccount(tx, kind, actorId));
  if (account === undefined || !account.active)
    throw new AppError('invalid_token', 'This account no longer exists or is inactive');
  return {
    id: account.id,
    kind,
    email: account.email,
    display_name: account.display_name,
    roles: [...account.roles],
    tenant_id: ctx.tenantId ?? null,
    location_ids: [...ctx.locationIds],
    register_id: ctx.registerId ?? null,
  };
}
