import { pino, type Logger } from 'pino';
import { buildApp, type App } from './app.ts';
import { ensureDemoStore, type DemoLogins } from './demo-store.ts';
import type { Config } from './platform/config.ts';
import { openDatabaseTarget, type DatabaseTarget } from './platform/db/connect.ts';
import { createDatabase, type Database } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { loggerOptions } from './platform/logger.ts';
import { loadSecrets } from './platform/secrets.ts';
import { startBackground, type Background } from './background.ts';
import { createRuntime, withTimeout, type Runtime } from './runtime.ts';

/** A running server: its address and the one way to stop it. */
export interface RunningServer {
  readonly url: string;
  readonly app: App;
  stop(): Promise<void>;
}

function banner(url: string, target: DatabaseTarget, logins: DemoLogins | undefined): string {
  const lines = [
    '',
    `  NovaPOS is running at ${url}`,
    `  API reference: ${url}/docs   OpenAPI: ${url}/openapi.json   Health: ${url}/health`,
    `  Database: ${target.mode === 'server' ? 'PostgreSQL server (DATABASE_URL)' : 'embedded PostgreSQL (DATA_DIR/pg)'}`,
  ];
  if (logins !== undefined) {
    lines.push('', `  Demo store (tenant ${logins.tenant_id}, register ${logins.register_id}):`);
    for (const u of logins.users) {
      const pin = u.pin === null ? '' : `   PIN ${u.pin}`;
      lines.push(`    ${u.role.padEnd(8)} ${u.email.padEnd(28)} password ${u.password}${pin}`);
    }
    lines.push(`  Sign in: curl -X POST ${url}/v1/auth/login -H 'content-type: application/json' \\`);
    lines.push(`             -d '{"email":"${logins.users[0]?.email ?? ''}","password":"…"}'`);
  }
  lines.push('  Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

/**
 * Starts everything `npm start` promises: the database (embedded unless DATABASE_URL is set), migrations, the
 * demo store on first run, background work, and HTTP. Stopping reverses the order: HTTP first (in-flight
 * requests finish), then background work, then the database.
 */
export async function startServer(
  config: Config,
  options: { print?: (text: string) => void } = {},
): Promise<RunningServer> {
  const logger: Logger = pino(loggerOptions(config));
  let ready = false;
  const target = await openDatabaseTarget(config, {
    shareRunning: false,
    onLog: (line) => logger.debug({ component: 'postgres' }, line),
  });
  let db: Database | undefined;
  let runtime: Runtime | undefined;
  let background: Background | undefined;
  try {
    db = createDatabase({
      ownerUrl: target.ownerUrl,
      appUrl: config.database.appUrl,
      poolMax: config.database.poolMax,
      onIdleError: (err) => logger.warn({ err: err.message }, 'idle database connection lost'),
    });
    const applied = await migrate(db.system);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
    const secrets = loadSecrets(config);
    const logins = await ensureDemoStore(config, db, secrets.pinPepper);
    runtime = createRuntime(config, db, secrets, { logger, isReady: () => ready });
    // Scheduled jobs (docs/jobs.md) run here unless dedicated `novapos worker`s run them (JOBS_IN_SERVER=false).
    const bg = await startBackground({
      config,
      db,
      logger,
      metrics: runtime.deps.metrics,
      runSchedules: config.jobs.inServer,
    });
    background = bg;
    runtime.addHealthCheck('event_bus', () =>
      withTimeout(bg.events.health(), 3000, 'the event bus').catch((err: unknown) => ({
        status: 'down' as const,
        message: (err as Error).message,
      })),
    );
    await runtime.deps.maintenance.refresh();
    runtime.deps.maintenance.start();
    const app = await buildApp(runtime.deps);
    const address = await app.listen({ host: config.host, port: config.port });
    const url = config.publicUrl ?? address;
    ready = true;
    logger.info({ url, database: target.mode }, 'NovaPOS started');
    // The banner is for the person at the terminal: stderr, never stdout, where the JSON log lines go.
    (options.print ?? ((text: string) => process.stderr.write(`${text}\n`)))(banner(url, target, logins));

    const started = { db, runtime, background: bg };
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        ready = false;
        logger.info('stopping: HTTP first, then background work, then the database');
        await app.close();
        // Publish what the last requests wrote, then stop the jobs, the relay and the bus (they use the db).
        await started.background.stop();
        await started.runtime.close();
        await started.db.close();
        await target.release();
        logger.info('stopped');
        logger.flush();
      })();
      return stopping;
    };
    return { url, app, stop };
  } catch (err) {
    await background?.stop();
    await runtime?.close();
    await db?.close();
    await target.release();
    throw err;
  }
}

/** Stops cleanly on SIGINT/SIGTERM; a second signal while stopping exits at once. */
export function stopOnSignals(server: Pick<RunningServer, 'stop'>, log: (text: string) => void): void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    log(`${signal} received: stopping NovaPOS…`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log(`error while stopping: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
