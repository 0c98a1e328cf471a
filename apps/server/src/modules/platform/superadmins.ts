import { systemContext, type RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { platformTx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { emailSignsInToATenant, insertPlatformUser } from './platform.repo.ts';

/** Operators hold the keys to every tenant: their passwords are longer than a tenant user's. */
export const SUPERADMIN_MIN_PASSWORD = 12;
const MAX_PASSWORD = 1024;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export interface CreateSuperadminInput {
  readonly email: string;
  readonly password: string;
  readonly displayName?: string | undefined;
}

export interface CreatedSuperadmin {
  readonly id: string;
  readonly email: string;
  readonly display_name: string;
  readonly created_at: string;
}

function validate(input: CreateSuperadminInput): { email: string; displayName: string } {
  const email = input.email.trim();
  if (email.length < 3 || email.length > 254 || !EMAIL.test(email)) {
    throw invalidField('email', 'must be an e-mail address');
  }
  if (input.password.length < SUPERADMIN_MIN_PASSWORD) {
    throw invalidField('password', `must be at least ${SUPERADMIN_MIN_PASSWORD} characters`);
  }
  if (input.password.length > MAX_PASSWORD)
    throw invalidField('password', `must be at most ${MAX_PASSWORD} characters`);
  const displayName = (input.displayName ?? '').trim() || 'Platform operator';
  if (displayName.length > 200) throw invalidField('display_name', 'must be at most 200 characters');
  return { email, displayName };
}

/**
 * Creates a platform operator (role `superadmin`, no tenant), as `novapos superadmin create` does. The e-mail is
 * unique among operators, case-insensitively, and must not be a tenant user's: sign-in finds accounts by e-mail,
 * and an operator sharing one with a tenant user could not sign in without naming a tenant. Audited as
 * `platform.superadmin_created` in the platform chain, in the same transaction.
 *
 * @param actor who creates it; the CLI acts as the system.
 * @throws AppError `validation_failed` (bad e-mail, password shorter than 12 characters), `email_taken`.
 */
export async function createSuperadmin(
  db: Database,
  input: CreateSuperadminInput,
  actor: RequestContext = systemContext(undefined),
): Promise<CreatedSuperadmin> {
  const { email, displayName } = validate(input);
  // The platform chain: whoever acts, the event belongs to no tenant.
  const ctx: RequestContext = { ...actor, tenantId: undefined, registerId: undefined };
  // Hash outside the transaction: argon2 is slow on purpose and must not hold a connection.
  const passwordHash = await hashPassword(input.password);
  return platformTx(db, async (tx) => {
    if (await emailSignsInToATenant(tx, email)) {
      throw new AppError('email_taken', 'A tenant user signs in with this e-mail; an operator needs one of its own');
    }
    const row = await insertPlatformUser(tx, { id: newId(), email, displayName, passwordHash });
    if (row === undefined) throw new AppError('email_taken', 'A platform operator with this e-mail already exists');
    await recordAudit(tx, ctx, {
      action: 'platform.superadmin_created',
      entityType: 'platform_user',
      entityId: row.id,
      data: { email: row.email, display_name: row.display_name },
    });
    return {
      id: row.id,
      email: row.email,
      display_name: row.display_name,
      created_at: row.created_at.toISOString(),
    };
  });
}
