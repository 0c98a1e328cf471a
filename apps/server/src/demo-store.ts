import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TenantRole } from '@novapos/domain';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import { systemTx } from './platform/db/tx.ts';
import { createTenant } from './modules/platform/index.ts';
import { seedDemoShop } from './demo/demo-seed.ts';

/** The tax rate of the demo store when the server has no default rate: the seeds' 8 %. */
const DEMO_TAX_RATE_BPS = 800;

/** The demo store's sign-ins, kept in DATA_DIR/demo-logins.json so every start can print them again. */
export interface DemoLogins {
  readonly tenant_id: string;
  readonly register_id: string;
  readonly users: readonly { role: TenantRole; email: string; password: string; pin: string | null }[];
  /** The shop's locations and their registers (written since the demo has two of each; absent in older files). */
  readonly locations?: readonly { id: string; name: string; registers: readonly { id: string; name: string }[] }[];
}

function loginsFile(config: Config): string {
  return path.join(config.dataDir, 'demo-logins.json');
}

/** The demo store is made on the first start of an empty embedded database, never with DATABASE_URL or in production. */
export function demoStoreAllowed(config: Config): boolean {
  return config.database.url === undefined && config.nodeEnv !== 'production';
}

export function readDemoLogins(config: Config): DemoLogins | undefined {
  try {
    return JSON.parse(fs.readFileSync(loginsFile(config), 'utf8')) as DemoLogins;
  } catch {
    return undefined;
  }
}

/**
 * Creates the demo store — one user per role, PINs for the manager and the cashier — when the database has no
 * tenant yet, and fills it with a believable shop (`seedDemoShop`: 2 locations × 2 registers, ~200 products,
 * stock, a few days of sales). Passwords are random per installation: a demo must not ship with a password
 * everyone knows. The logins are saved before the seed runs, so a seed that fails still leaves them readable.
 */
export async function ensureDemoStore(
  config: Config,
  db: Database,
  pinPepper: string,
): Promise<DemoLogins | undefined> {
  if (!demoStoreAllowed(config)) return undefined;
  const { rows } = await systemTx(db, (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants'));
  if ((rows[0]?.n ?? 0) > 0) return readDemoLogins(config);

  const password = (): string => randomBytes(9).toString('base64url');
  const pin = (): string => String(randomInt(1000, 10000));
  const users: { role: TenantRole; email: string; password: string; pin: string | null }[] = [
    { role: 'owner', email: 'owner@demo.novapos.test', password: password(), pin: null },
    { role: 'admin', email: 'admin@demo.novapos.test', password: password(), pin: null },
    { role: 'manager', email: 'manager@demo.novapos.test', password: password(), pin: pin() },
    { role: 'cashier', email: 'cashier@demo.novapos.test', password: password(), pin: null },
  ];
  // PINs are unique per tenant.
  let cashierPin = pin();
  while (cashierPin === users[2]?.pin) cashierPin = pin();
  (users[3] as { pin: string | null }).pin = cashierPin;

  const [owner, ...staff] = users as [(typeof users)[0], ...typeof users];
  const created = await createTenant(db, pinPepper, {
    name: 'Demo Store',
    currency: config.defaultCurrency,
    ownerEmail: owner.email,
    ownerPassword: owner.password,
    ownerName: 'Olivia Owner',
    locationName: 'Demo Store — High Street',
    registerName: 'Till 1',
    staff: staff.map((s) => ({
      email: s.email,
      password: s.password,
      displayName: { owner: 'Olivia Owner', admin: 'Ada Admin', manager: 'Max Manager', cashier: 'Cass Cashier' }[
        s.role
      ],
      roles: [s.role],
      ...(s.pin === null ? {} : { pin: s.pin }),
    })),
  });
  const base: DemoLogins = { tenant_id: created.tenant_id, register_id: created.register_id, users };
  fs.writeFileSync(loginsFile(config), JSON.stringify(base, null, 2), { mode: 0o600 });
  // Without DEFAULT_TAX_RATE_BPS nothing would be taxed: the demo charges the seeds' 8 % on STD goods instead.
  const shop = await seedDemoShop(
    { db, config },
    created.tenant_id,
    config.defaultTaxRateBps === 0 ? { taxRateBps: DEMO_TAX_RATE_BPS } : {},
  );
  const logins: DemoLogins = { ...base, locations: shop.locations };
  fs.writeFileSync(loginsFile(config), JSON.stringify(logins, null, 2), { mode: 0o600 });
  return logins;
}
