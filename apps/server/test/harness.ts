import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { expect, inject } from 'vitest';
import { buildApp, type App, type AppDeps } from '../src/app.ts';
import { loadConfig, type Config } from '../src/platform/config.ts';
import { createDatabase, type Database } from '../src/platform/db/database.ts';
import { ephemeralSecrets } from '../src/platform/secrets.ts';
import { createRuntime, type Runtime } from '../src/runtime.ts';
import { createTenant } from '../src/modules/platform/index.ts';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase {
  readonly db: Database;
  /** The owner's (superuser's) connection string: for tests that go behind the application's back. */
  readonly ownerUrl: string;
  readonly name: string;
  close(): Promise<void>;
}

/** A database of this test file's own, cloned from the migrated template. */
export async function createTestDatabase(poolMax = 5): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `${inject('pgTemplate')}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
        break;
      } catch (err) {
        // Two files cloning at once may briefly see the template "being accessed by other users".
        if (attempt >= 20 || !/being accessed/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const ownerUrl = withDatabase(adminUrl, name);
  const db = createDatabase({ ownerUrl, poolMax, applicationName: 'novapos-test' });
  return { db, ownerUrl, name, close: () => db.close() };
}

export interface TestApp {
  readonly app: App;
  readonly deps: AppDeps;
  readonly config: Config;
  readonly database: TestDatabase;
  readonly runtime: Runtime;
  close(): Promise<void>;
}

/** The real app on a real database of its own, for app.inject(). `env` overrides configuration variables. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase(Number(env.DATABASE_POOL_MAX ?? 5));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: path.join(os.tmpdir(), 'novapos-test-data'),
    ...env,
  });
  const runtime = createRuntime(config, database.db, ephemeralSecrets(), { logger: pino({ level: 'silent' }) });
  const app = await buildApp(runtime.deps);
  await app.ready();
  return {
    app,
    deps: runtime.deps,
    config,
    database,
    runtime,
    close: async () => {
      await app.close();
      await runtime.close();
      await database.close();
    },
  };
}

export const PASSWORD = 'correct horse battery';

export interface TestTenant {
  readonly tenantId: string;
  readonly locationId: string;
  readonly registerId: string;
  readonly ownerId: string;
  readonly emails: { owner: string; admin: string; manager: string; cashier: string };
  readonly userIds: { owner: string; admin: string; manager: string; cashier: string };
  /** PINs of the staff: manager and cashier. */
  readonly pins: { manager: string; cashier: string };
}

let tenantCounter = 0;

/** A tenant with one user per role, all with PASSWORD; the manager and cashier have PINs. */
export async function createTestTenant(t: TestApp, name = 'Test Shop'): Promise<TestTenant> {
  const tag = `${Date.now().toString(36)}${(tenantCounter++).toString(36)}${randomBytes(2).toString('hex')}`;
  const emails = {
    owner: `owner.${tag}@example.com`,
    admin: `admin.${tag}@example.com`,
    manager: `manager.${tag}@example.com`,
    cashier: `cashier.${tag}@example.com`,
  };
  const pins = { manager: String(4000 + tenantCounter), cashier: String(1000 + tenantCounter) };
  const created = await createTenant(t.deps.db, t.deps.secrets.pinPepper, {
    name,
    currency: 'USD',
    ownerEmail: emails.owner,
    ownerPassword: PASSWORD,
    staff: [
      { email: emails.admin, password: PASSWORD, displayName: 'Ada Admin', roles: ['admin'] },
      { email: emails.manager, password: PASSWORD, displayName: 'Max Manager', roles: ['manager'], pin: pins.manager },
      { email: emails.cashier, password: PASSWORD, displayName: 'Cass Cashier', roles: ['cashier'], pin: pins.cashier },
    ],
  });
  const [admin, manager, cashier] = created.staff_user_ids as [string, string, string];
  return {
    tenantId: created.tenant_id,
    locationId: created.location_id,
    registerId: created.register_id,
    ownerId: created.owner_user_id,
    emails,
    userIds: { owner: created.owner_user_id, admin, manager, cashier },
    pins,
  };
}

/** Signs in and returns the token pair; fails the test when sign-in does not succeed. */
export async function login(
  t: TestApp,
  email: string,
  password = PASSWORD,
): Promise<{ access_token: string; refresh_token: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Authorization header for a token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Asserts a problem response: status, code in body and X-Error-Code, and the request id. */
export function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
): void {
  const body = res.json() as { code?: string; request_id?: string; status?: number };
  expect({ status: res.statusCode, code: body.code }).toEqual({ status, code });
  expect(res.headers['x-error-code']).toBe(code);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(body.request_id).toBeTypeOf('string');
}
