/**
 * The server tests' harness: the real app on a real PostgreSQL database of the test file's own, driven through
 * `app.inject()`, never a mock of our own database.
 *
 *   const shop = useShop({ env: { DEFAULT_TAX_RATE_BPS: '800' }, roles: ['owner', 'cashier'] });
 *
 *   it('creates a category', async () => {
 *     const res = await shop.as('owner').post('/v1/categories', { name: 'Drinks' });
 *     expect(res.statusCode, res.body).toBe(201);
 *     expect(await shop.audit({ entityId: res.json().id })).toMatchAudit(['category.created']);
 *     expectProblem(await shop.as('cashier').post('/v1/categories', { name: 'X' }), 403, 'forbidden');
 *   });
 *
 * `useShop()` registers the file's (or the describe block's) beforeAll and afterAll: it clones the migrated template
 * database, builds the app with `env` on top of the test configuration, and creates a tenant with one user per role
 * (`PASSWORD`; the manager and cashier have PINs). Then:
 * - `shop.as(actor)` is a client that signs in as that actor on first use and sends its bearer token:
 *   `get(url)`, `delete(url)`, `post|put|patch(url, body)`, each with `{ headers, idempotencyKey }`, each returning the
 *   inject response (`statusCode`, `headers`, `body`, `json()`). Actors: 'owner', 'admin', 'manager', 'cashier'
 *   (password sign-in), 'till' (the cashier by PIN at the tenant's register, as the till signs in) and, on the shop,
 *   'superadmin' (a platform operator made on first use). Signing in is audited: the actors in `roles` (default
 *   ['owner']) sign in during beforeAll, so a test that snapshots the audit trail is not surprised by a sign-in.
 *   `shop.anon` sends no token; `shop.withToken(token)` sends any token; `tenant.signIn(actor)` and
 *   `shop.login(email, password)` make a new session and return its token pair.
 * - `shop` is also the tenant itself (`tenantId`, `locationId`, `registerId`, `ownerId`, `emails`, `userIds`,
 *   `pins`); `await shop.addTenant(name)` makes another one with the same `as(actor)`.
 * - `shop.db`: a pool of the database owner (no row-level security), for reading and tampering behind the app's back;
 *   `shop.app`, `shop.deps`, `shop.config`, `shop.t` (the whole TestApp) for tests that reach further.
 * - Options: `env` (or a function giving it, read when the shop opens: after the beforeAll hooks registered before
 *   useShop(), e.g. one starting a simulator), `name` of the first tenant, `roles`, and `routes` (test-only routes).
 * - Audit: `shop.audit(filter)` lists events oldest first (read as the owner); the matcher
 *   `expect(events).toMatchAudit(expected)` asserts them: their actions, or objects compared on the fields they name.
 * - `expectProblem(res, status, code)` asserts an RFC 9457 problem; `bodyOf(res, status)` asserts a status and
 *   returns the JSON body (for set-up steps). Waiting: test/timing.ts; child processes: test/processes.ts; the seed
 *   catalog (Soda and Water, stocked): test/fixtures.ts.
 *
 * `createTestApp` / `createTestTenant` / `login` stay for tests that build a second app or run without a shop.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import type { App, AppDeps } from '../src/platform/app-deps.ts';
import { loadConfig, type Config } from '../src/platform/config.ts';
import { createDatabase, type Database } from '../src/platform/db/database.ts';
import { ephemeralSecrets } from '../src/platform/secrets.ts';
import { createRuntime, type Runtime } from '../src/runtime.ts';
import { createSuperadmin, createTenant } from '../src/modules/platform/index.ts';

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

/**
 * The real app on a real database of its own, for app.inject(). `env` overrides configuration variables; `routes`
 * may add test-only routes before the app is ready.
 */
export async function createTestApp(env: Record<string, string> = {}, routes?: (app: App) => void): Promise<TestApp> {
  const database = await createTestDatabase(Number(env.DATABASE_POOL_MAX ?? 5));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: path.join(os.tmpdir(), 'novapos-test-data'),
    ...env,
  });
  const runtime = createRuntime(config, database.db, ephemeralSecrets(), { logger: pino({ level: 'silent' }) });
  const app = await buildApp(runtime.deps);
  routes?.(app);
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

/** The inject response a client returns: `statusCode`, `headers`, `body`, `json()`. */
export type Reply = LightMyRequestResponse;

/**
 * Asserts a response's status (any 2xx when `status` is omitted), showing the body when it differs, and returns
 * the JSON body: for set-up steps whose answer the test goes on with.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unnecessary-type-parameters -- like res.json<T>()
export function bodyOf<T = any>(res: Reply, status?: number): T {
  if (status === undefined) expect(res.statusCode, res.body).toBeLessThan(300);
  else expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
}

export interface RequestOptions {
  /** Added to (and overriding) the client's headers, the Authorization header included. */
  readonly headers?: Record<string, string>;
  /** Sent as the Idempotency-Key header. */
  readonly idempotencyKey?: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Requests through `app.inject()` with a bearer token (or none). */
export class Client {
  readonly #app: () => App;
  readonly #token: () => Promise<string | undefined>;

  constructor(app: () => App, token: () => Promise<string | undefined>) {
    this.#app = app;
    this.#token = token;
  }

  /** Any request; `payload` may be an object (sent as JSON), a string, a Buffer or a stream. */
  async request(method: Method, url: string, payload?: unknown, options: RequestOptions = {}): Promise<Reply> {
    const token = await this.#token();
    const headers: Record<string, string> = {
      ...(token === undefined ? {} : bearer(token)),
      ...(options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey }),
      ...options.headers,
    };
    return this.#app().inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  get(url: string, options?: RequestOptions): Promise<Reply> {
    return this.request('GET', url, undefined, options);
  }

  delete(url: string, options?: RequestOptions): Promise<Reply> {
    return this.request('DELETE', url, undefined, options);
  }

  post(url: string, payload?: unknown, options?: RequestOptions): Promise<Reply> {
    return this.request('POST', url, payload, options);
  }

  put(url: string, payload?: unknown, options?: RequestOptions): Promise<Reply> {
    return this.request('PUT', url, payload, options);
  }

  patch(url: string, payload?: unknown, options?: RequestOptions): Promise<Reply> {
    return this.request('PATCH', url, payload, options);
  }
}

/** Who a tenant's client acts as: a user by password, or the cashier by PIN at the tenant's register ('till'). */
export type TenantActor = 'owner' | 'admin' | 'manager' | 'cashier' | 'till';

export interface TokenPair {
  readonly access_token: string;
  readonly refresh_token: string;
}

/** What a tenant needs from the shop that made it. */
interface TenantHost {
  readonly t: TestApp;
}

/** A tenant of the shop's app, with clients for its users. */
export class Tenant implements TestTenant {
  readonly #source: { readonly host: TenantHost; readonly data: TestTenant } | undefined;
  readonly #tokens = new Map<TenantActor, Promise<string>>();

  /** The shop passes nothing and overrides `host()` and `data()`: its app and tenant exist once it is open. */
  constructor(source?: { readonly host: TenantHost; readonly data: TestTenant }) {
    this.#source = source;
  }

  protected host(): TenantHost {
    if (this.#source === undefined) throw new Error('a tenant without a host');
    return this.#source.host;
  }

  protected data(): TestTenant {
    if (this.#source === undefined) throw new Error('a tenant without data');
    return this.#source.data;
  }

  get tenantId(): string {
    return this.data().tenantId;
  }
  get locationId(): string {
    return this.data().locationId;
  }
  get registerId(): string {
    return this.data().registerId;
  }
  get ownerId(): string {
    return this.data().ownerId;
  }
  get emails(): TestTenant['emails'] {
    return this.data().emails;
  }
  get userIds(): TestTenant['userIds'] {
    return this.data().userIds;
  }
  get pins(): TestTenant['pins'] {
    return this.data().pins;
  }

  /** A client acting as `actor`; it signs in on its first request and keeps the token. */
  as(actor: TenantActor): Client {
    return new Client(
      () => this.host().t.app,
      () => this.token(actor),
    );
  }

  /** The access token `as(actor)` sends (signing in on first use). */
  token(actor: TenantActor): Promise<string> {
    let token = this.#tokens.get(actor);
    if (token === undefined) {
      token = this.signIn(actor).then((pair) => pair.access_token);
      this.#tokens.set(actor, token);
    }
    return token;
  }

  /** A new sign-in (a new session) as `actor`, asserting it succeeds. */
  async signIn(actor: TenantActor): Promise<TokenPair> {
    const t = this.host().t;
    if (actor !== 'till') return login(t, this.emails[actor]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/pin-login',
      payload: { register_id: this.registerId, pin: this.pins.cashier },
    });
    return bodyOf<TokenPair>(res, 200);
  }
}

/** Which audit events `Shop.audit` lists. Every field narrows; none lists the whole database's trail. */
export interface AuditFilter {
  readonly entityId?: string;
  /** A tenant's events; null for the platform's (tenant_id IS NULL). */
  readonly tenantId?: string | null;
  /** An exact action, or a prefix ending in `*` ('category.*'). */
  readonly action?: string;
  readonly chainKey?: string;
  /** Only the last n events of those that match. */
  readonly last?: number;
}

/** An audit_events row as the owner reads it. */
export interface AuditEvent {
  readonly id: string;
  readonly tenant_id: string | null;
  readonly chain_key: string;
  readonly seq: number;
  readonly occurred_at: Date;
  readonly actor_type: string;
  readonly actor_id: string | null;
  readonly action: string;
  readonly entity_type: string;
  readonly entity_id: string | null;
  readonly request_id: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON, asserted by the tests
  readonly data: any;
  readonly prev_hash: string;
  readonly hash: string;
}

export interface ShopOptions {
  /** Configuration variables on top of the test configuration; a function is called when the shop opens (after
   * the beforeAll hooks registered before useShop(), e.g. one that starts a simulator whose URL goes in here). */
  readonly env?: Record<string, string> | (() => Record<string, string>);
  /** The first tenant's name. */
  readonly name?: string;
  /** Actors of the first tenant who sign in during beforeAll (default ['owner']); others sign in on first use. */
  readonly roles?: readonly TenantActor[];
  /** Test-only routes, added before the app is ready. */
  readonly routes?: (app: App) => void;
}

interface ShopState {
  readonly t: TestApp;
  readonly tenant: TestTenant;
  readonly db: pg.Pool;
}

/** A platform operator the shop made for `as('superadmin')`. */
export interface Operator {
  readonly id: string;
  readonly email: string;
  readonly password: string;
}

/** The app, its database and its first tenant: what `useShop()` gives a test file. */
export class Shop extends Tenant {
  readonly #options: ShopOptions;
  #state: ShopState | undefined;
  #operator: Promise<Operator> | undefined;
  #operatorToken: Promise<string> | undefined;

  constructor(options: ShopOptions) {
    super();
    this.#options = options;
  }

  #ready(): ShopState {
    if (this.#state === undefined) throw new Error('the shop is not open: use it inside tests and hooks');
    return this.#state;
  }

  protected override host(): TenantHost {
    return this.#ready();
  }

  protected override data(): TestTenant {
    return this.#ready().tenant;
  }

  /** Opens the shop (useShop's beforeAll). */
  async open(): Promise<void> {
    const env = this.#options.env;
    const t = await createTestApp(typeof env === 'function' ? env() : env, this.#options.routes);
    const db = new pg.Pool({ connectionString: t.database.ownerUrl, max: 3, application_name: 'novapos-test-owner' });
    // A restore or a restart may end idle connections; the pool replaces them.
    db.on('error', () => undefined);
    try {
      this.#state = { t, db, tenant: await createTestTenant(t, this.#options.name) };
      for (const actor of this.#options.roles ?? ['owner']) await this.token(actor);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** Closes the app and drops the connections (useShop's afterAll). */
  async close(): Promise<void> {
    const state = this.#state;
    await state?.db.end();
    await state?.t.close();
  }

  get t(): TestApp {
    return this.#ready().t;
  }
  get app(): App {
    return this.#ready().t.app;
  }
  get deps(): AppDeps {
    return this.#ready().t.deps;
  }
  get config(): Config {
    return this.#ready().t.config;
  }
  /** The database owner's pool: no row-level security. */
  get db(): pg.Pool {
    return this.#ready().db;
  }
  /** This tenant as a plain object (what `createTestTenant` returns). */
  get tenant(): TestTenant {
    return this.#ready().tenant;
  }
  /** A client that sends no token. */
  get anon(): Client {
    return new Client(
      () => this.app,
      () => Promise.resolve(undefined),
    );
  }

  /** A client that sends `token`. */
  withToken(token: string): Client {
    return new Client(
      () => this.app,
      () => Promise.resolve(token),
    );
  }

  override as(actor: TenantActor | 'superadmin'): Client {
    if (actor !== 'superadmin') return super.as(actor);
    return new Client(
      () => this.app,
      () => this.operatorToken(),
    );
  }

  /** Another tenant of this app; `roles` sign in at once (default ['owner']). */
  async addTenant(name?: string, roles: readonly TenantActor[] = ['owner']): Promise<Tenant> {
    const tenant = new Tenant({ host: this.#ready(), data: await createTestTenant(this.t, name) });
    for (const actor of roles) await tenant.token(actor);
    return tenant;
  }

  /** Signs in with any e-mail and password (default PASSWORD), asserting it succeeds. */
  login(email: string, password = PASSWORD): Promise<TokenPair> {
    return login(this.t, email, password);
  }

  /** The platform operator behind `as('superadmin')`, made on first use. */
  operator(): Promise<Operator> {
    this.#operator ??= (async () => {
      const email = `operator.${randomBytes(4).toString('hex')}@example.com`;
      const created = await createSuperadmin(this.deps.db, { email, password: PASSWORD });
      return { id: created.id, email, password: PASSWORD };
    })();
    return this.#operator;
  }

  /** The operator's access token (signing in on first use). */
  operatorToken(): Promise<string> {
    this.#operatorToken ??= this.operator().then(async (op) => (await this.login(op.email, op.password)).access_token);
    return this.#operatorToken;
  }

  /** Audit events that match `filter`, oldest first (by occurred_at, then seq), read as the owner. */
  async audit(filter: AuditFilter = {}): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.entityId !== undefined) add('entity_id = ?', filter.entityId);
    if (filter.tenantId === null) where.push('tenant_id IS NULL');
    else if (filter.tenantId !== undefined) add('tenant_id = ?', filter.tenantId);
    if (filter.chainKey !== undefined) add('chain_key = ?', filter.chainKey);
    if (filter.action?.endsWith('*') === true) add('starts_with(action, ?)', filter.action.slice(0, -1));
    else if (filter.action !== undefined) add('action = ?', filter.action);
    if (where.length === 0) throw new Error('audit(): name at least one of entityId, tenantId, chainKey, action');
    const { rows } = await this.db.query<AuditEvent>(
      `SELECT id, tenant_id, chain_key, seq::int AS seq, occurred_at, actor_type, actor_id, action, entity_type,
              entity_id, request_id, data, prev_hash, hash
         FROM audit_events WHERE ${where.join(' AND ')} ORDER BY occurred_at, seq`,
      params,
    );
    return filter.last === undefined ? rows : rows.slice(-filter.last);
  }
}

/** What `toMatchAudit` compares: each event's action, or the fields the expected object at its place names. */
function auditShape(events: readonly AuditEvent[], expected: readonly (string | Partial<AuditEvent>)[]): unknown[] {
  return events.map((event, i) => {
    const want = expected[i];
    if (typeof want === 'string' || want === undefined) return event.action;
    return Object.fromEntries(Object.keys(want).map((key) => [key, event[key as keyof AuditEvent]]));
  });
}

/** The one way tests assert audit events: `expect(await shop.audit(filter)).toMatchAudit(expected)`. */
expect.extend({
  toMatchAudit(received: AuditEvent[], expected: readonly (string | Partial<AuditEvent>)[]) {
    const actual = auditShape(received, expected);
    const pass = this.equals(actual, expected);
    return {
      pass,
      actual,
      expected,
      message: () =>
        `expected the audit events${pass ? ' not' : ''} to be ${this.utils.printExpected(expected)}` +
        `\n${this.utils.diff(expected, actual) ?? ''}`,
    };
  },
});

declare module 'vitest' {
  interface Matchers<R extends void | Promise<void> = void | Promise<void>> {
    /** Audit events (oldest first) are, one for one, these actions or objects compared on the fields they name. */
    toMatchAudit(expected: readonly string[] | readonly Partial<AuditEvent>[]): R;
  }
}

/**
 * The app on a database of this file's own with one tenant, opened before the tests of the enclosing scope (the
 * file, or a describe block) and closed after them. See the top of this file.
 */
export function useShop(options: ShopOptions = {}): Shop {
  const shop = new Shop(options);
  beforeAll(() => shop.open());
  afterAll(() => shop.close());
  return shop;
}
