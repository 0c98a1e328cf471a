import { SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { createWriteStream, readFileSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stat } from 'node:fs/promises';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { systemContext } from './platform/context.ts';
import { openDatabaseTarget } from './platform/db/connect.ts';
import { DataDirInUseError } from './platform/db/data-dir-lock.ts';
import { createDatabase, type Database } from './platform/db/database.ts';
import { EmbeddedPostgresError } from './platform/db/embedded-postgres.ts';
import { migrate, pendingMigrations } from './platform/db/migrate.ts';
import { AppError } from './platform/errors.ts';
import { isUuid } from './platform/ids.ts';
import type { ImportReport } from './modules/catalog/index.ts';
import { loadSecrets } from './platform/secrets.ts';
import { backupCommand } from './cli/backup.ts';
import { readPassword } from './cli/password.ts';
import { startProgress } from './cli/progress.ts';
import { EXIT_USAGE, UsageError } from './cli/usage.ts';
import { demoStoreAllowed } from './demo-store.ts';
import path from 'node:path';

/**
 * `novapos`: the server's command line. Every command reads the same environment as the server; a command that
 * needs the database uses DATABASE_URL's server, or the embedded one (the running server's, when there is one).
 * The server, the modules and the demo are imported by the commands that use them: `--version`, `--help` and a
 * usage error answer at once.
 */

/** The server's version, from its package.json (`novapos --version`). */
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

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

function uuid(value: string): string {
  if (!isUuid(value)) throw new InvalidArgumentError('a UUID, like the tenant_id `tenant create` printed');
  return value;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('a whole number from 0 to 65535');
  return n;
}

const program = new Command('novapos')
  .description('NovaPOS server: point of sale for a chain of shops')
  .version(VERSION, '-V, --version', 'print the version')
  .showHelpAfterError()
  // Usage errors (an unknown option, a bad value) exit 2, not commander's 1; subcommands inherit this.
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('serve')
  .description('start the API server (and the embedded database unless DATABASE_URL is set)')
  .action(async () => {
    let cfg = config();
    // Demo mode (embedded database, no GATEWAY_URL): card tenders go to a simulator of our own, so the till's card
    // button works out of the box with the test tokens (docs/payments.md). DEMO_GATEWAY=off leaves cards off.
    const { startServer, stopOnSignals } = await import('./server.ts');
    const { startSimulator } = await import('./gateway-sim/simulator.ts');
    let simulator: Awaited<ReturnType<typeof startSimulator>> | undefined;
    if (demoStoreAllowed(cfg) && cfg.payments.gatewayUrl === undefined && process.env.DEMO_GATEWAY !== 'off') {
      simulator = await startSimulator({ port: 0, stateFile: path.join(cfg.dataDir, 'gateway-sim.json') });
      cfg = { ...cfg, payments: { ...cfg.payments, gatewayUrl: simulator.url } };
      console.error(`Demo card processor (simulator, test tokens tok_visa, tok_declined, …) at ${simulator.url}`);
    }
    let server: Awaited<ReturnType<typeof startServer>>;
    // The banner says "ready": it is printed once Ctrl-C and SIGTERM stop the server cleanly, never before.
    let banner = '';
    try {
      server = await startServer(cfg, {
        print: (text) => {
          banner = text;
        },
      });
    } catch (err) {
      // A server that cannot start (e.g. the data folder is in use) must not be kept alive by the simulator.
      await simulator?.app.close();
      throw err;
    }
    stopOnSignals(
      {
        stop: async () => {
          await server.stop();
          await simulator?.app.close();
        },
      },
      (text) => console.error(text),
    );
    // For the person at the terminal: stderr, never stdout, where the JSON log lines go.
    process.stderr.write(`${banner}\n`);
  });

program
  .command('worker')
  .description('run background work without HTTP: scheduled jobs, outbox relay, webhook deliveries and processing')
  .action(async () => {
    const { startWorker } = await import('./worker.ts');
    const { stopOnSignals } = await import('./server.ts');
    const worker = await startWorker(config());
    stopOnSignals(worker, (text) => console.error(text));
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const cfg = config();
    const target = await openDatabaseTarget(cfg, { shareRunning: true });
    const db = createDatabase({ ownerUrl: target.ownerUrl, poolMax: 1 });
    try {
      const pending = (await pendingMigrations(db.system)).length;
      const progress = pending === 0 ? undefined : startProgress({ label: 'migrate', total: pending });
      let done = 0;
      const applied = await migrate(db.system, undefined, (m) => {
        progress?.update(++done, `${m.version}_${m.name}`);
      }).finally(() => progress?.stop());
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
  .option('--password-stdin', "read the owner's password from standard input")
  .option('--owner-password <password>', 'the password on the command line (visible in ps: avoid)')
  .option('--currency <code>', 'ISO 4217 currency', currency)
  .option('--json', 'print the ids as JSON')
  .addHelpText(
    'after',
    "\nThe owner's password (at least 10 characters) comes from --password-stdin, else NOVAPOS_OWNER_PASSWORD, " +
      'else a prompt when run in a terminal.',
  )
  .action(
    async (opts: {
      name: string;
      ownerEmail: string;
      ownerPassword?: string;
      passwordStdin?: boolean;
      currency?: string;
      json?: boolean;
    }) => {
      const cfg = config();
      const { createTenant } = await import('./modules/platform/index.ts');
      const ownerPassword = await readPassword({
        flag: opts.ownerPassword,
        flagName: '--owner-password',
        fromStdin: opts.passwordStdin === true,
        envName: 'NOVAPOS_OWNER_PASSWORD',
        prompt: `Password for ${opts.ownerEmail}`,
      });
      const created = await withDatabase(cfg, (db) =>
        createTenant(db, loadSecrets(cfg).pinPepper, {
          name: opts.name,
          currency: opts.currency ?? cfg.defaultCurrency,
          ownerEmail: opts.ownerEmail,
          ownerPassword,
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

function days(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 31) throw new InvalidArgumentError('a whole number of days, 1 to 31');
  return n;
}

function basisPoints(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 10_000) throw new InvalidArgumentError('basis points, 0 to 10000 (800 = 8 %)');
  return n;
}

program
  .command('seed')
  .description('fill an empty tenant with the demo shop: 2 locations × 2 registers, ~200 products, stock, past sales')
  .requiredOption('--tenant-id <id>', 'the tenant to fill (it must have no products yet)', uuid)
  .option('--days <n>', 'days of past sales, ending yesterday (default 3)', days)
  .option('--tax-rate-bps <bps>', "also set the tenant's tax rate (800 = 8 %) before the sales", basisPoints)
  .option('--json', 'print the summary as JSON')
  .action(async (opts: { tenantId: string; days?: number; taxRateBps?: number; json?: boolean }) => {
    const cfg = config();
    const { seedDemoShop } = await import('./demo/demo-seed.ts');
    let progress: ReturnType<typeof startProgress> | undefined;
    const shop = await withDatabase(cfg, (db) =>
      seedDemoShop({ db, config: cfg }, opts.tenantId, {
        ...(opts.days === undefined ? {} : { days: opts.days }),
        ...(opts.taxRateBps === undefined ? {} : { taxRateBps: opts.taxRateBps }),
        onProgress: (done, total, step) => {
          progress ??= startProgress({ label: 'seed', total });
          progress.update(done, step);
        },
      }),
    ).finally(() => progress?.stop());
    if (opts.json === true) {
      console.log(JSON.stringify(shop));
      return;
    }
    console.log(`Demo shop seeded in ${(shop.milliseconds / 1000).toFixed(1)} s.`);
    console.log(
      `  ${shop.products} products (${shop.variants} variants), ${shop.orders} past orders (${shop.voided} voided)`,
    );
    for (const l of shop.locations) {
      console.log(`  ${l.name}  ${l.id}`);
      for (const r of l.registers) console.log(`    ${r.name.padEnd(8)} ${r.id}`);
    }
  });

const superadmin = program.command('superadmin').description('manage platform operators');
superadmin
  .command('create')
  .description('create a platform operator (role superadmin, no tenant)')
  .requiredOption('--email <email>', "the operator's e-mail")
  .option('--password-stdin', 'read the password from standard input')
  .option('--password <password>', 'the password on the command line (visible in ps: avoid)')
  .option('--name <name>', 'display name')
  .option('--json', 'print the id as JSON')
  .addHelpText(
    'after',
    '\nThe password (at least 12 characters) comes from --password-stdin, else NOVAPOS_PASSWORD, else a prompt ' +
      'when run in a terminal.',
  )
  .action(
    async (opts: { email: string; password?: string; passwordStdin?: boolean; name?: string; json?: boolean }) => {
      const { createSuperadmin } = await import('./modules/platform/index.ts');
      const password = await readPassword({
        flag: opts.password,
        flagName: '--password',
        fromStdin: opts.passwordStdin === true,
        envName: 'NOVAPOS_PASSWORD',
        prompt: `Password for ${opts.email}`,
      });
      const created = await withDatabase(config(), (db) =>
        createSuperadmin(db, {
          email: opts.email,
          password,
          ...(opts.name === undefined ? {} : { displayName: opts.name }),
        }),
      );
      console.log(
        opts.json === true
          ? JSON.stringify({ superadmin_id: created.id })
          : `Superadmin ${opts.email} created (${created.id}).`,
      );
    },
  );

const catalog = program.command('catalog').description("import and export a tenant's catalog as CSV");
catalog
  .command('import')
  .description('import products and variants from a CSV file, one row per variant (see docs/catalog.md)')
  .argument('<file>', 'the CSV file')
  .requiredOption('--tenant-id <id>', 'the tenant to import into', uuid)
  .option('--dry-run', 'validate and report what would change; write nothing')
  .option('--allow-partial', 'write the good rows even when some rows have errors')
  .option('--json', 'print the report as JSON')
  .action(
    async (file: string, opts: { tenantId: string; dryRun?: boolean; allowPartial?: boolean; json?: boolean }) => {
      const { importCatalogFile } = await import('./modules/catalog/index.ts');
      const size = (await stat(file)).size;
      // On stderr, and only on a terminal (cli-progress stays silent otherwise), so --json output stays clean.
      const bar = new SingleBar({
        format: '{phase} [{bar}] {percentage}% | {rows} rows',
        hideCursor: true,
        barCompleteChar: '#',
        barIncompleteChar: '-',
      });
      let phase: string | undefined;
      const report = await withDatabase(config(), (db) =>
        importCatalogFile(db, systemContext(opts.tenantId), file, {
          dryRun: opts.dryRun === true,
          allowPartial: opts.allowPartial === true,
          onProgress: (p) => {
            const label = p.phase === 'validate' ? 'Checking' : 'Writing ';
            if (phase !== label) {
              if (phase !== undefined) bar.stop();
              phase = label;
              bar.start(size, 0, { phase: label, rows: 0 });
            }
            bar.update(p.bytes, { rows: p.rows });
          },
        }),
      )
        .then((done) => {
          // The last batch ends before the file's last bytes (a trailing newline): show the file as read.
          if (phase !== undefined) bar.update(size);
          return done;
        })
        .finally(() => {
          bar.stop();
        });
      if (opts.json === true) console.log(JSON.stringify(report));
      else printImportReport(report);
      if (report.counts.errors > 0) process.exitCode = 1;
    },
  );
catalog
  .command('export')
  .description("write a tenant's active catalog as CSV, in the import format")
  .argument('[file]', 'where to write it (default: standard output)')
  .requiredOption('--tenant-id <id>', 'the tenant to export', uuid)
  .action(async (file: string | undefined, opts: { tenantId: string }) => {
    const { exportCatalogTo } = await import('./modules/catalog/index.ts');
    const out = file === undefined ? process.stdout : createWriteStream(file);
    // Rows as they stream by (the header line excluded); the total is not known in advance.
    const progress = startProgress({ label: 'export', unit: 'rows' });
    let lines = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        for (const byte of chunk) if (byte === 10) lines++;
        progress.update(Math.max(lines - 1, 0));
        done(null, chunk);
      },
    });
    await Promise.all([
      withDatabase(config(), (db) => exportCatalogTo(db, systemContext(opts.tenantId), counted)).catch(
        (err: unknown) => {
          counted.destroy();
          throw err;
        },
      ),
      pipeline(counted, out),
    ]).finally(() => progress.stop());
    if (file !== undefined) console.error(`Catalog written to ${file}.`);
  });

program
  .command('gateway-sim')
  .description('run the card-processor simulator (test tokens: tok_visa, tok_mastercard, tok_declined, …)')
  .option('--port <n>', 'port to listen on', port, 4010)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--state <file>', 'JSON file that keeps authorizations across restarts')
  .option('--slow-ms <n>', "how late tok_timeout's first answer is", port, 30_000)
  .action(async (opts: { port: number; host: string; state?: string; slowMs: number }) => {
    const { startSimulator } = await import('./gateway-sim/simulator.ts');
    const { url } = await startSimulator({
      port: opts.port,
      host: opts.host,
      stateFile: opts.state,
      slowMs: opts.slowMs,
    });
    console.log(`gateway-sim listening on ${url}`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
  });

/** The import report for a person: what happened, the counts, the first errors. */
function printImportReport(report: ImportReport): void {
  const c = report.counts;
  if (report.dry_run) console.log('Dry run: nothing was written.');
  else if (report.written) console.log('Imported.');
  else console.log(c.errors > 0 ? 'Nothing was written: fix the rows below, or use --allow-partial.' : 'No changes.');
  console.log(
    `  rows ${c.rows}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.errors} with errors`,
  );
  console.log(`  products created ${c.products_created}, categories created ${c.categories_created}`);
  const shown = report.errors.slice(0, 50);
  for (const e of shown) console.log(`  row ${e.row}, ${e.field}: ${e.message}`);
  const more = report.errors.length - shown.length;
  if (more > 0 || report.errors_truncated) console.log(`  … and more errors (--json lists up to 1000)`);
}

/** Turns an error a person can act on into a message and an exit code; anything else is a bug with a stack. */
function explain(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander has printed its message (and the help); --help and --version end with 0.
    return err.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (err instanceof UsageError) {
    console.error(`novapos: ${err.message}`);
    return EXIT_USAGE;
  }
  if (err instanceof ConfigError) {
    console.error(`Configuration error — ${err.message}\nSee docs/configuration.md.`);
    return 2;
  }
  // RestoreRefused (modules/backups) by name: the CLI imports the module only when a backup command runs.
  if (
    err instanceof DataDirInUseError ||
    err instanceof EmbeddedPostgresError ||
    (err as Error).name === 'RestoreRefused'
  ) {
    console.error((err as Error).message);
    return 1;
  }
  if (err instanceof AppError) {
    console.error(`${err.code}: ${err.message}`);
    for (const e of err.errors ?? []) console.error(`  ${e.field}: ${e.message}`);
    return 1;
  }
  // The reader of our output went away (`novapos catalog export … | head`): nothing left to say.
  if ((err as { code?: unknown }).code === 'EPIPE') return 0;
  if ((err as { code?: unknown }).code === 'ENOENT') {
    console.error((err as Error).message);
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

backupCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.exitCode = explain(err);
});
