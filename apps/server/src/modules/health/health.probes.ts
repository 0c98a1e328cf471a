import type { Database } from '../../platform/db/database.ts';
import { pendingMigrations } from '../../platform/db/migrate.ts';
import {
  missingCheck,
  runGuarded,
  toReport,
  type HealthCheck,
  type HealthReport,
  type HealthStatus,
} from './health.checks.ts';

const UP: HealthStatus = { status: 'up' };

/** Seed 002's budget for /health/ready is 3 s; the database check keeps its own 3 s timeout under this guard. */
const READY_GUARD_MS = 2900;

export interface ProbeDeps {
  readonly db: Database;
  readonly healthChecks: Readonly<Record<string, HealthCheck>>;
  readonly isReady: () => boolean;
}

/**
 * The readiness probe: ready when the server says so (not starting, not draining), the database answers and no
 * migration is pending. Once the schema has been found current it stays current for the life of the process
 * (migrations are forward-only and the code does not change under a running server), so the files are read once.
 */
export function readinessProbe(deps: ProbeDeps): () => Promise<HealthReport> {
  let schemaCurrent = false;

  async function migrationsStatus(): Promise<HealthStatus> {
    if (schemaCurrent) return UP;
    return runGuarded(async () => {
      const pending = await pendingMigrations(deps.db.system);
      if (pending.length > 0) {
        return { status: 'down', message: `migrations not applied: ${pending.join(', ')}; run novapos migrate` };
      }
      schemaCurrent = true;
      return UP;
    }, READY_GUARD_MS);
  }

  return async () => {
    const server: HealthStatus = deps.isReady()
      ? UP
      : { status: 'down', message: 'the server is starting or shutting down' };
    const database = await runGuarded(deps.healthChecks.database ?? missingCheck('database'), READY_GUARD_MS);
    // Without a database the migration state is unknown; saying "pending" would send operators the wrong way.
    const migrations: HealthStatus =
      database.status === 'up'
        ? await migrationsStatus()
        : { status: 'down', message: 'unknown: the database is down' };
    return toReport([
      ['server', server],
      ['database', database],
      ['migrations', migrations],
    ]);
  };
}

/** What /health/redis says when REDIS_URL is not set: healthy, because memory counting is the designed mode. */
export const REDIS_NOT_CONFIGURED: HealthStatus = {
  status: 'up',
  mode: 'memory',
  message: 'REDIS_URL not set; rate limits count in memory',
};

/**
 * /health/redis: the Redis check when Redis is configured (`mode: 'redis'`), else the memory mode, which is up.
 * A configured Redis that is down is reported down here, though sign-in keeps working on the memory fallback.
 */
export async function redisReport(checks: Readonly<Record<string, HealthCheck>>): Promise<HealthReport> {
  const check = checks.redis;
  if (check === undefined) return toReport([['redis', REDIS_NOT_CONFIGURED]]);
  const result = await runGuarded(check);
  return toReport([['redis', { ...result, mode: 'redis' }]]);
}
