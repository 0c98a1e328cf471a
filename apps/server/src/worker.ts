import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { Config } from './platform/config.ts';
import { openDatabaseTarget } from './platform/db/connect.ts';
import { createDatabase, type Database } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { loggerOptions } from './platform/logger.ts';
import { createMetrics, type Metrics } from './platform/metrics.ts';
import { toReport, type HealthStatus } from './modules/health/index.ts';
import { startBackground, type Background } from './background.ts';
import { withTimeout } from './runtime.ts';

/** A running `novapos worker`. */
export interface RunningWorker {
  /** Where /healthz, /readyz and /metrics answer (WORKER_HEALTH_PORT). */
  readonly healthUrl: string;
  stop(): Promise<void>;
}

/** What the worker answers on WORKER_HEALTH_PORT; deploy/kubernetes/worker.yaml probes the first two. */
export const WORKER_HTTP_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

/**
 * The worker's probes on their own port (seed 001 in docs/sources.md: Kubernetes liveness and readiness of a
 * process without the API): `/healthz` (the process answers), `/readyz` (started, not stopping, the database answers; 503 otherwise, in the
 * /health report shape), and `/metrics` (the jobs it ran and the queue figures).
 */
function startHealthServer(
  config: Config,
  deps: { db: Database; metrics: Metrics; isReady: () => boolean; logger: Logger },
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, { status: 'error' });
      return;
    }
    if (path === '/healthz') {
      send(200, { status: 'ok' });
      return;
    }
    if (path === '/readyz') {
      void (async () => {
        const worker: HealthStatus = deps.isReady()
          ? { status: 'up' }
          : { status: 'down', message: 'the worker is starting or shutting down' };
        const database: HealthStatus = await withTimeout(deps.db.system.query('SELECT 1'), 3000, 'the database').then(
          () => ({ status: 'up' as const }),
          () => ({ status: 'down' as const, message: 'the database is unreachable' }),
        );
        const report = toReport([
          ['worker', worker],
          ['database', database],
        ]);
        send(report.status === 'ok' ? 200 : 503, report);
      })();
      return;
    }
    if (path === '/metrics') {
      deps.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': deps.metrics.registry.contentType }).end(text),
        (err: unknown) => {
          deps.logger.warn({ err }, 'metrics scrape failed');
          send(500, { status: 'error' });
        },
      );
      return;
    }
    send(404, { status: 'error', message: 'not found' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.worker.healthPort, config.host, () => resolve(server));
  });
}

/**
 * `novapos worker`: the background work of a server without the API — the same `startBackground()` as `serve`
 * (outbox relay, the job queue with every module's jobs and every schedule), plus the probes on
 * WORKER_HEALTH_PORT. Any number may run beside the servers. With the embedded database it shares the running
 * server's cluster. Servers run the schedules too unless started with JOBS_IN_SERVER=false.
 */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const logger = pino(loggerOptions(config)).child({ component: 'worker' });
  const target = await openDatabaseTarget(config, { shareRunning: true });
  const db = createDatabase({
    ownerUrl: target.ownerUrl,
    appUrl: config.database.appUrl,
    poolMax: config.database.poolMax,
  });
  let ready = false;
  let background: Background | undefined;
  let health: http.Server | undefined;
  const closeHealth = () =>
    new Promise<void>((resolve) => {
      if (health === undefined) {
        resolve();
        return;
      }
      health.closeAllConnections();
      health.close(() => {
        resolve();
      });
    });
  try {
    const metrics = createMetrics();
    // Probes first: liveness answers while the worker starts, readiness says it is not ready yet.
    health = await startHealthServer(config, { db, metrics, isReady: () => ready, logger });
    await migrate(db.system);
    background = await startBackground({ config, db, logger, metrics, runSchedules: true });
    ready = true;
    logger.info({ health: config.worker.healthPort }, 'NovaPOS worker started');
  } catch (err) {
    await background?.stop();
    await closeHealth();
    await db.close();
    await target.release();
    throw err;
  }
  const { port } = health.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const started = background;
  let stopping: Promise<void> | undefined;
  return {
    healthUrl: `http://${host}:${port}`,
    stop: () =>
      (stopping ??= (async () => {
        ready = false;
        await started.stop();
        await closeHealth();
        await db.close();
        await target.release();
        logger.info('worker stopped');
      })()),
  };
}
