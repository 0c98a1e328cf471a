import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from './config.ts';
import type { Database, Queryable } from './db/database.ts';
import type { HealthCheck } from './health-check.ts';
import type { WebApp } from './http/web-apps.ts';
import type { MaintenanceState } from './maintenance.ts';
import type { Metrics } from './metrics.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { Secrets } from './secrets.ts';
import type { TokenService } from './tokens.ts';

// The types every route file and the runtime share. They live in platform/, not in app.ts, so that no module
// imports app.ts (which imports every module's routes): that import made one 41-file cycle.

/**
 * Ends every live session (refresh-token family) of a user inside the caller's transaction; returns how many
 * ended. auth implements it (runtime.ts passes its `revokeSubjectSessions`); users calls it when a user is
 * deactivated or changes password. A port rather than an import because auth depends on users (sign-in reads
 * the user's location scope), so users importing auth would close a module cycle.
 */
export type EndSessions = (
  tx: Queryable,
  subjectId: string,
  reason: 'user_deactivated' | 'password_changed',
) => Promise<number>;

/** Everything the HTTP app needs, built once by the server (or a test) and passed in. */
export interface AppDeps {
  readonly config: Config;
  readonly db: Database;
  readonly secrets: Secrets;
  readonly tokens: TokenService;
  readonly metrics: Metrics;
  readonly loginLimiter: RateLimiter;
  readonly pinLimiter: RateLimiter;
  readonly maintenance: MaintenanceState;
  /** auth's session revocation, for users (see EndSessions). */
  readonly endSessions: EndSessions;
  /** Dependency checks shown by /health: database always, redis and event_bus when configured. */
  readonly healthChecks: Readonly<Record<string, HealthCheck>>;
  /** False while the server starts or shuts down: /health/ready answers 503. */
  readonly isReady: () => boolean;
  /** A logger instance to use (tests pass a silent one); defaults to JSON logs at config.logLevel. */
  readonly logger?: FastifyBaseLogger;
  /** The built web apps served at /pos/ and /admin/; defaults to apps/pos/dist and apps/admin/dist. */
  readonly webApps?: readonly WebApp[];
}

/** The app with TypeBox as its type provider: route schemas type the handlers. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
