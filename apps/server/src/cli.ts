import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { openDatabaseTarget } from './platform/db/connect.ts';
import { DataDirInUseError } from './platform/db/data-dir-lock.ts';
import { createDatabase, type Database } from './platform/db/database.ts';
import { EmbeddedPostgresError } from './platform/db/embedded-postgres.ts';
import { migrate } from './platform/db/migrate.ts';
import { AppError } from './platform/errors.ts';
import { loadSecrets } from './platform/secrets.ts';
import { createSuperadmin } from './modules/platform/index.ts';
import { createTenant } from './modules/tenancy/index.ts';
import { startServer, stopOnSignals } from './server.ts';

/**
 * `novapos`: the server's command line. Every command reads the same environment as the server; a command that
 * needs the database uses DATABASE_URL's server, or the embedded one (the running server's, when there is one).
 */

function config(): Config {
  return loadConfig();
}

/** Runs `fn` with a migrated database, then lets go of it. */
async function withDatabase<T>(cfg: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const target = await openDatabaseTarget(cfg, { shareRunning: true });
  const db = createDatabase({ ownerUrl: target.ownerUrl, appUrl: cfg.database.appUrl, poolMax: 2 });
  try {
    await migrate(db.system);
    return await fn(db);
  } finally {
    await db.close();
    await target.release();
  }
}

function currency(value: string): string {
  if (!/^[A-Z]{3}$/.test(value)) throw new InvalidArgumentError('an ISO 4217 code in capitals, like USD or EUR');
  return value;
}

const program = new Command('novapos')
  .description('NovaPOS server: point of sale for a chain of shops')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('serve')
  .description('start the API server (and the embedded database unless DATABASE_URL is set)')
  .action(async () => {
    const server = await startServer(config());
    stopOnSignals(server, (text) => console.error(text));
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const cfg = config();
    const target = await openDatabaseTarget(cfg, { shareRunning: true });
    const db = createDatabase({ ownerUrl: target.ownerUrl, poolMax: 1 });
    try {
      const applied = await migrate(db.system);
      console.log(applied.length === 0 ? 'The database is up to date.' : `Applied: ${applied.join(', ')}`);
    } finally {
      await db.close();
      await target.release();
    }
  });

const tenant = program.command('tenant').description('manage tenants');
tenant
  .command('create')
  .description('create a tenant with its first location, register and owner')
  .requiredOption('--name <name>', 'the business name')
  .requiredOption('--owner-email <email>', "the owner's e-mail")
  .requiredOption('--owner-password <password>', "the owner's password (at least 10 characters)")
  .option('--currency <code>', 'ISO 4217 currency', currency)
  .option('--json', 'print the ids as JSON')
  .action(
    async (opts: { name: string; ownerEmail: string; ownerPassword: string; currency?: string; json?: boolean }) => {
      const cfg = config();
      const created = await withDatabase(cfg, (db) =>
        createTenant(db, loadSecrets(cfg).pinPepper, {
          name: opts.name,
          currency: opts.currency ?? cfg.defaultCurrency,
          ownerEmail: opts.ownerEmail,
          ownerPassword: opts.ownerPassword,
        }),
      );
      const { tenant_id, owner_user_id, location_id, register_id } = created;
      if (opts.json === true) {
        console.log(JSON.stringify({ tenant_id, owner_user_id, location_id, register_id }));
      } else {
        console.log(`Tenant "${opts.name}" created.`);
        console.log(`  tenant_id      ${tenant_id}\n  owner_user_id  ${owner_user_id}`);
        console.log(`  location_id    ${location_id}\n  register_id    ${register_id}`);
      }
    },
  );

const superadmin = program.command('superadmin').description('manage platform operators');
superadmin
  .command('create')
  .description('create a platform operator (role superadmin, no tenant)')
  .requiredOption('--email <email>', "the operator's e-mail")
  .requiredOption('--password <password>', 'at least 12 characters')
  .option('--name <name>', 'display name')
  .option('--json', 'print the id as JSON')
  .action(async (opts: { email: string; password: string; name?: string; json?: boolean }) => {
    const created = await withDatabase(config(), (db) =>
      createSuperadmin(db, {
        email: opts.email,
        password: opts.password,
        ...(opts.name === undefined ? {} : { displayName: opts.name }),
      }),
    );
    console.log(
      opts.json === true
        ? JSON.stringify({ superadmin_id: created.id })
        : `Superadmin ${opts.email} created (${created.id}).`,
    );
  });

/** Turns an error a person can act on into a message and an exit code; anything else is a bug with a stack. */
function explain(err: unknown): number {
  if (err instanceof ConfigError) {
    console.error(`Configuration error — ${err.message}\nSee docs/configuration.md.`);
    return 2;
  }
  if (err instanceof DataDirInUseError || err instanceof EmbeddedPostgresError) {
    console.error(err.message);
    return 1;
  }
  if (err instanceof AppError) {
    console.error(`${err.code}: ${err.message}`);
    return 1;
  }
  const pgCode = (err as { code?: unknown }).code;
  if (pgCode === '23505') {
    console.error(`Already exists: ${(err as Error).message}`);
    return 1;
  }
  console.error(err);
  return 1;
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.exitCode = explain(err);
});
