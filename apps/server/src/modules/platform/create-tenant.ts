import type { TenantRole } from '@novapos/domain';
import { systemContext, type RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { pinLookup } from '../../platform/pins.ts';
import { recordAudit } from '../audit/index.ts';
import { insertLocation, insertRegister, insertTenant } from '../tenancy/index.ts';
import { emailSignsInAsOperator, insertUser } from '../users/index.ts';

export interface CreateTenantInput {
  readonly name: string;
  readonly currency: string;
  readonly timezone?: string;
  readonly ownerEmail: string;
  readonly ownerPassword: string;
  readonly ownerName?: string;
  readonly locationName?: string;
  readonly registerName?: string;
  /** More staff to create with the tenant (the demo store uses it). */
  readonly staff?: readonly {
    email: string;
    password: string;
    displayName: string;
    roles: readonly TenantRole[];
    pin?: string;
  }[];
}

export interface CreatedTenant {
  readonly tenant_id: string;
  readonly owner_user_id: string;
  readonly location_id: string;
  readonly register_id: string;
  readonly staff_user_ids: readonly string[];
}

/**
 * Creates a tenant with its first location, register and owner (`novapos tenant create`, the demo store, tests),
 * in one transaction that runs under the new tenant's row-level security like any other tenant work. A platform
 * use case: it spans tenancy (tenant, location, register) and users (owner, staff), both below the platform
 * module; kept in tenancy it made the cycle tenancy → users → tenancy.
 */
export async function createTenant(
  db: Database,
  pinPepper: string,
  input: CreateTenantInput,
  actor?: RequestContext,
): Promise<CreatedTenant> {
  if (input.ownerPassword.length < 10) {
    throw new AppError('validation_failed', 'owner password: must be at least 10 characters', {
      errors: [{ field: 'owner_password', message: 'must be at least 10 characters' }],
    });
  }
  const tenantId = newId();
  const ctx: RequestContext = { ...(actor ?? systemContext(undefined)), tenantId };
  // Hash outside the transaction: argon2 is slow on purpose and must not hold a connection.
  const ownerHash = await hashPassword(input.ownerPassword);
  const staff = await Promise.all(
    (input.staff ?? []).map(async (s) => ({ ...s, hash: await hashPassword(s.password) })),
  );
  return tenantTx(db, ctx, async (tx) => {
    for (const email of [input.ownerEmail, ...staff.map((s) => s.email)]) {
      if (await emailSignsInAsOperator(tx, email)) {
        throw new AppError('email_taken', `${email} already signs in as a platform operator; use another e-mail`);
      }
    }
    const tenant = await insertTenant(tx, ctx, {
      name: input.name,
      currency: input.currency,
      timezone: input.timezone ?? 'UTC',
    });
    const location = await insertLocation(tx, ctx, {
      id: newId(),
      name: input.locationName ?? 'Main store',
      code: null,
      timezone: tenant.timezone,
    });
    const register = await insertRegister(tx, ctx, {
      id: newId(),
      locationId: location.id,
      name: input.registerName ?? 'Till 1',
    });
    const owner = await insertUser(tx, ctx, {
      id: newId(),
      email: input.ownerEmail,
      displayName: input.ownerName ?? 'Owner',
      passwordHash: ownerHash,
      pinLookup: null,
      roles: ['owner'],
    });
    const staffIds: string[] = [];
    for (const s of staff) {
      const user = await insertUser(tx, ctx, {
        id: newId(),
        email: s.email,
        displayName: s.displayName,
        passwordHash: s.hash,
        pinLookup: s.pin === undefined ? null : pinLookup(pinPepper, tenantId, s.pin),
        roles: s.roles,
      });
      staffIds.push(user.id);
    }
    await recordAudit(tx, ctx, {
      action: 'tenant.created',
      entityType: 'tenant',
      entityId: tenant.id,
      data: {
        name: tenant.name,
        currency: tenant.currency,
        owner_user_id: owner.id,
        location_id: location.id,
        register_id: register.id,
      },
    });
    return {
      tenant_id: tenant.id,
      owner_user_id: owner.id,
      location_id: location.id,
      register_id: register.id,
      staff_user_ids: staffIds,
    };
  });
}
