import { Redis } from 'ioredis';
import { createPublicKey } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from './platform/app-deps.ts';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import { MaintenanceState } from './platform/maintenance.ts';
import { createMetrics } from './platform/metrics.ts';
import { createRateLimiter } from './platform/rate-limit.ts';
import type { Secrets } from './platform/secrets.ts';
import { TokenService } from './platform/tokens.ts';
// The one code → status map, registered when loaded: every app built from a runtime knows every module's codes.
import './errors.ts';
import { revokeSubjectSessions } from './modules/auth/index.ts';
import type { HealthCheck, HealthStatus } from './modules/health/index.ts';

/** Rejects when `promise` takes longer than `ms`: a health check must answer even when a dependency hangs. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Runs one dependency check. /health is often public (load balancers), so a failure says only what is wrong;
 * the driver's own message (hosts, ports) goes to the log.
 */
async function check(
  fn: () => Promise<unknown>,
  ms: number,
  what: string,
  logger: FastifyBaseLogger | undefined,
): Promise<HealthStatus> {
  try {
    await withTimeout(fn(), ms, what);
    return { status: 'up' };
  } catch (err) {
    const timedOut = (err as Error).message.includes('did not answer');
    logger?.warn({ err: (err as Error).message, dependency: what }, 'health check failed');
    return { status: 'down', message: timedOut ? `${what} did not answer within ${ms} ms` : `${what} is unreachable` };
  }
}

/** What the server and the tests build around the database: the app's dependencies and what must be closed. */
export interface Runtime {
  readonly deps: AppDeps;
  readonly redis: Redis | undefined;
  /** Adds a dependency to /health (the event bus, once it exists); call before buildApp. */
  addHealthCheck(name: string, check: HealthCheck): void;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly logger?: FastifyBaseLogger;
  /** The server flips this once it is listening and again when it starts to shut down. */
  readonly isReady?: () => boolean;
}

/** Connects to Redis for shared counters; commands fail fast while it is down so the memory fallback takes over. */
function connectRedis(url: string, logger: FastifyBaseLogger | undefined): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger?.warn({ err: err.message }, 'redis unavailable; rate limits count in memory until it returns');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger?.info('redis is back; rate limits are shared again');
    down = false;
  });
  return redis;
}

export function createRuntime(config: Config, db: Database, secrets: Secrets, options: RuntimeOptions = {}): Runtime {
  const redis = config.redisUrl === undefined ? undefined : connectRedis(config.redisUrl, options.logger);
  // Pricing caches answer from memory only while this process hears the database's change notifications.
  db.listenForChanges();
  const healthChecks: Record<string, HealthCheck> = {
    database: () => check(() => db.app.query('SELECT 1'), 3000, 'the database', options.logger),
  };
  if (redis !== undefined) healthChecks.redis = () => check(() => redis.ping(), 2000, 'redis', options.logger);
  const deps: AppDeps = {
    config,
    db,
    secrets,
    tokens: new TokenService({
      privateKey: secrets.jwtPrivateKey,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      accessTtlSeconds: config.jwt.accessTtlSeconds,
      previousPublicKeys: config.jwt.previousPublicKeyPems.map((pem) => createPublicKey(pem)),
    }),
    metrics: createMetrics(),
    loginLimiter: createRateLimiter({
      keyPrefix: 'login',
      points: config.login.rateLimitPoints,
      durationSeconds: config.login.rateLimitWindowSeconds,
      redis,
    }),
    pinLimiter: createRateLimiter({
      keyPrefix: 'pin',
      points: config.login.rateLimitPoints,
      durationSeconds: config.login.rateLimitWindowSeconds,
      redis,
    }),
    maintenance: new MaintenanceState(db.app),
    // Users end a user's sessions through this port: it may not import auth (see EndSessions).
    endSessions: revokeSubjectSessions,
    healthChecks,
    isReady: options.isReady ?? (() => true),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  return {
    deps,
    redis,
    addHealthCheck: (name, healthCheck) => {
      healthChecks[name] = healthCheck;
    },
    close: async () => {
      deps.maintenance.stop();
      redis?.disconnect();
    },
  };
}
