import { pino, type Logger } from 'pino';
import { buildApp, type App } from './app.ts';
import { ensureDemoStore, type DemoLogins } from './demo-store.ts';
import type { Config } from './platform/config.ts';
import { openDatabaseTarget, type DatabaseTarget } from './platform/db/connect.ts';
import { createDatabase, type Database } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { createEvents, type Events } from './platform/events/index.ts';
import { scheduleHousekeeping } from './platform/housekeeping.ts';
import { loggerOptions } from './platform/logger.ts';
import { loadSecrets } from './platform/secrets.ts';
import { createDeliveryWorker, subscribeOutgoingWebhooks } from './modules/hooks/index.ts';
import { createWebhookProcessor } from './modules/webhooks/index.ts';
import { paymentJobs, paymentsDepsFor, registerPaymentWebhookHandlers } from './modules/payments/index.ts';
import { Scheduler } from './platform/jobs/scheduler.ts';
import { backupJobs } from './modules/backups/index.ts';
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
  let events: Events | undefined;
  let stopWorkers: () => Promise<void> = async () => undefined;
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
    const bus = await createEvents({ config, db, metrics: runtime.deps.metrics, logger });
    events = bus;
    runtime.addHealthCheck('event_bus', () =>
      withTimeout(bus.health(), 3000, 'the event bus').catch((err: unknown) => ({
        status: 'down' as const,
        message: (err as Error).message,
      })),
    );
    // Consumers subscribe before the relay starts: the in-process bus hands an event only to current subscribers.
    await subscribeOutgoingWebhooks(bus.bus, { db });
    bus.start();
    const webhookWorker = createDeliveryWorker({
      db,
      logger,
      metrics: runtime.deps.metrics,
      allowPrivateUrls: config.webhooks.allowPrivateUrls,
    });
    webhookWorker.start();
    // Incoming processor events are stored by the route, then handled here with retries.
    const payments = paymentsDepsFor({ db, config, registry: runtime.deps.metrics.registry, logger });
    const offPaymentHandlers = registerPaymentWebhookHandlers(payments, logger);
    const incomingWebhooks = createWebhookProcessor({ db, logger, metrics: runtime.deps.metrics });
    incomingWebhooks.start();
    // Scheduled jobs (docs/payments.md, "Jobs"): here unless dedicated `novapos worker`s run them.
    const scheduler = config.jobs.inServer
      ? new Scheduler({ db, logger, jobs: [...paymentJobs(payments, logger), ...backupJobs({ db, config, logger })] })
      : undefined;
    stopWorkers = async () => {
      await Promise.all([webhookWorker.stop(), incomingWebhooks.stop(), scheduler?.stop()]);
      offPaymentHandlers();
    };
    await runtime.deps.maintenance.refresh();
    runtime.deps.maintenance.start();
    const stopHousekeeping = scheduleHousekeeping(db, logger);
    const app = await buildApp(runtime.deps);
    const address = await app.listen({ host: config.host, port: config.port });
    const url = config.publicUrl ?? address;
    scheduler?.start();
    ready = true;
    logger.info({ url, database: target.mode }, 'NovaPOS started');
    // The banner is for the person at the terminal: stderr, never stdout, where the JSON log lines go.
    (options.print ?? ((text: string) => process.stderr.write(`${text}\n`)))(banner(url, target, logins));

    const started = { db, runtime, events: bus };
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        ready = false;
        logger.info('stopping: HTTP first, then background work, then the database');
        await app.close();
        stopHousekeeping();
        // Publish what the last requests wrote, then stop the relay and the bus; in-process consumers use the db.
        await started.events.relay.drain(5000).catch(() => undefined);
        await stopWorkers();
        await started.events.close();
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
    await stopWorkers();
    await events?.close();
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
