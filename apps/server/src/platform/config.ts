import { parseCronItem } from 'graphile-worker';
import { createPublicKey } from 'node:crypto';
import path from 'node:path';

/**
 * The server's configuration, read once from the environment and validated. A bad value stops the server with
 * a message naming the variable (docs/configuration.md lists them all).
 */
export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string | undefined;
  readonly trustProxy: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly dataDir: string;
  readonly database: {
    /** Set when a PostgreSQL server is used; undefined means the embedded database. */
    readonly url: string | undefined;
    /** Optional separate login for request handlers (must be a member of novapos_app). */
    readonly appUrl: string | undefined;
    readonly poolMax: number;
    readonly embeddedPort: number;
  };
  readonly jwt: {
    readonly issuer: string;
    readonly audience: string;
    /** PKCS#8 PEM of an Ed25519 key; undefined in embedded mode, where a key is generated into DATA_DIR. */
    readonly privateKeyPem: string | undefined;
    /** SPKI PEMs of Ed25519 public keys being rotated out: tokens they signed still verify (JWT_PREVIOUS_PUBLIC_KEYS). */
    readonly previousPublicKeyPems: readonly string[];
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
  };
  readonly pinPepper: string | undefined;
  readonly redisUrl: string | undefined;
  readonly eventBusUrl: string | undefined;
  readonly login: {
    readonly rateLimitPoints: number;
    readonly rateLimitWindowSeconds: number;
    readonly lockoutThreshold: number;
    readonly lockoutWindowSeconds: number;
    readonly lockoutDurationSeconds: number;
  };
  readonly limits: {
    readonly bodyBytes: number;
  };
  readonly idempotencyTtlHours: number;
  /**
   * How long a claimed Idempotency-Key stays held without its request renewing it: a key whose request died with
   * its process is free again this long after the process's last renewal (docs/api.md "Idempotency").
   */
  readonly idempotencyLeaseSeconds: number;
  readonly defaultCurrency: string;
  /** Tax rate when no override applies (the last step of precedence, docs/tax.md), in basis points. */
  readonly defaultTaxRateBps: number;
  /** Rounding of money for tenants that do not choose their own. */
  readonly moneyRounding: 'half_up' | 'truncate' | 'bankers';
  readonly pos: {
    /** The largest order discount a cashier may give alone, in basis points; above it a manager approves. */
    readonly cashierDiscountLimitBp: number;
  };
  readonly payments: {
    /** Base URL of the card processor (the simulator: `novapos gateway-sim`). Unset: card payments are off. */
    readonly gatewayUrl: string | undefined;
    /** How long one call to the processor may take before it is retried with the same idempotency key. */
    readonly gatewayTimeoutMs: number;
    /** Authorizations not captured within this many minutes are voided by the `payments.auto_void` job. */
    readonly authTtlMinutes: number;
    /**
     * A sale's card authorization whose order was never saved (the request died between the two) is voided by
     * `payments.auto_void` after this many minutes (at most authTtlMinutes): no retry of that sale can still need it.
     */
    readonly orphanAuthMinutes: number;
  };
  readonly jobs: {
    /** `novapos serve` runs the scheduled jobs too; false when dedicated `novapos worker`s run them. */
    readonly inServer: boolean;
    /** Cron (UTC) of the stale-authorization sweep. */
    readonly autoVoidSchedule: string;
    /** Cron (UTC) of the nightly settlement reconciliation (of the previous UTC day). */
    readonly reconcileSchedule: string;
    /** Cron (UTC) of the stuck-order watchdog (`monitoring.stuck_orders`). */
    readonly watchdogSchedule: string;
    /** A sale left half-done this many minutes is stuck: the watchdog reports it and `orders_stuck` counts it. */
    readonly stuckAfterMinutes: number;
  };
  readonly worker: {
    /** `novapos worker` answers /healthz, /readyz and /metrics on this port (0: any free port). */
    readonly healthPort: number;
  };
  readonly webhooks: {
    /** Secret that signs incoming webhooks (docs/sources.md, seed 000); unset: incoming webhooks are refused. */
    readonly activeSecret: string | undefined;
    /** The secret being rotated out, still accepted. */
    readonly previousSecret: string | undefined;
    readonly maxSkewSeconds: number;
    /** Outgoing webhooks may target loopback and private addresses (tests, closed networks). Off by default. */
    readonly allowPrivateUrls: boolean;
  };
  readonly backups: {
    /** Folder of dumps, checksums and manifests (default DATA_DIR/backups). Shared storage when servers are many. */
    readonly dir: string;
    /** Cron (UTC) of the scheduled backup. */
    readonly schedule: string;
    /** Backups older than this are deleted after each scheduled backup (the newest good one is always kept). */
    readonly retentionDays: number;
    /** 32-byte AES-256-GCM key; set: every new backup is encrypted. */
    readonly encryptionKey: Buffer | undefined;
    /** /health/backup fails when the last good backup is older than this (docs/sources.md, seed 002: 25 hours). */
    readonly maxAgeHours: number;
    /** pg_dump and pg_restore to run (default: found on PATH). */
    readonly pgDumpBin: string;
    readonly pgRestoreBin: string;
  };
  readonly monitoring: {
    /** A query slower than this is reported by /v1/monitoring/performance. */
    readonly slowQueryMs: number;
    /** Distinct tenants that get their own tenant_id label on business metrics; later ones share "other". */
    readonly tenantLabelLimit: number;
    /** Distinct (tenant, store) pairs of till telemetry kept as series; later ones share store_id "other". */
    readonly telemetrySeriesLimit: number;
    /** When set, GET /metrics answers only `Authorization: Bearer <token>` (business metrics name tenants). */
    readonly metricsToken: string | undefined;
  };
}

/** Raised when a variable has a bad value; its message names the variable. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

/**
 * MONEY_ROUNDING: `half_up` (default), `truncate` or `bankers`. The seeds' spellings (HalfUp, Truncate, Bankers)
 * are accepted too.
 */
function moneyRounding(env: Env): 'half_up' | 'truncate' | 'bankers' {
  const raw = str(env, 'MONEY_ROUNDING');
  if (raw === undefined) return 'half_up';
  const normal = raw.replace(/[-_\s]/g, '').toLowerCase();
  if (normal === 'halfup') return 'half_up';
  if (normal === 'truncate') return 'truncate';
  if (normal === 'bankers') return 'bankers';
  throw new ConfigError('MONEY_ROUNDING', `must be half_up, truncate or bankers, got "${raw}"`);
}

/** A shared secret: at least 16 characters when set. */
function secret(env: Env, name: string): string | undefined {
  const value = str(env, name);
  if (value !== undefined && value.length < 16) throw new ConfigError(name, 'must be at least 16 characters');
  return value;
}

/**
 * A cron expression (read in UTC) as the job queue runs it: five fields, minute precision. Checked by the queue's
 * own parser, so a schedule that would fail when the queue starts stops the process here, naming the variable.
 */
function cron(env: Env, name: string, fallback: string): string {
  const value = str(env, name) ?? fallback;
  try {
    parseCronItem({ task: name, match: value });
  } catch (err) {
    throw new ConfigError(name, `must be a cron expression like "${fallback}": ${(err as Error).message}`);
  }
  return value;
}

/** JWT_PREVIOUS_PUBLIC_KEYS: zero or more `-----BEGIN PUBLIC KEY-----` blocks of Ed25519 keys, one after the other. */
function previousPublicKeys(env: Env): string[] {
  const raw = str(env, 'JWT_PREVIOUS_PUBLIC_KEYS')?.replace(/\\n/g, '\n');
  if (raw === undefined) return [];
  const blocks = raw.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) {
    throw new ConfigError('JWT_PREVIOUS_PUBLIC_KEYS', 'must hold PEM public keys ("-----BEGIN PUBLIC KEY-----")');
  }
  for (const pem of blocks) {
    let type: string | undefined;
    try {
      type = createPublicKey(pem).asymmetricKeyType;
    } catch {
      throw new ConfigError('JWT_PREVIOUS_PUBLIC_KEYS', 'holds a PEM block that is not a valid public key');
    }
    if (type !== 'ed25519') throw new ConfigError('JWT_PREVIOUS_PUBLIC_KEYS', `holds a ${type ?? 'non'}-Ed25519 key`);
  }
  return blocks;
}

/** BACKUP_ENCRYPTION_KEY: 32 bytes as 64 hex digits or base64 (`openssl rand -base64 32`). */
function encryptionKey(env: Env): Buffer | undefined {
  const raw = str(env, 'BACKUP_ENCRYPTION_KEY');
  if (raw === undefined) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(raw) && key.toString('base64') !== raw)) {
    throw new ConfigError(
      'BACKUP_ENCRYPTION_KEY',
      'must be 32 bytes: 64 hex digits or base64 (openssl rand -base64 32)',
    );
  }
  return key;
}

/** Reads and validates the configuration. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';

  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const embeddedPort = int(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535);
  if (embeddedPort === 5432) {
    throw new ConfigError('EMBEDDED_PG_PORT', 'must not be 5432, the port of a system PostgreSQL server');
  }

  const privateKeyPem = str(env, 'JWT_PRIVATE_KEY')?.replace(/\\n/g, '\n');
  if (privateKeyPem !== undefined && !privateKeyPem.includes('-----BEGIN PRIVATE KEY-----')) {
    throw new ConfigError('JWT_PRIVATE_KEY', 'must be a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") of an Ed25519 key');
  }
  if (production && privateKeyPem === undefined) {
    throw new ConfigError('JWT_PRIVATE_KEY', 'is required when NODE_ENV=production');
  }
  if (production && databaseUrl === undefined) {
    throw new ConfigError(
      'DATABASE_URL',
      'is required when NODE_ENV=production (the embedded database is for one machine)',
    );
  }

  const pinPepper = str(env, 'PIN_PEPPER');
  if (pinPepper !== undefined && pinPepper.length < 32) {
    throw new ConfigError('PIN_PEPPER', 'must be at least 32 characters');
  }
  if (production && pinPepper === undefined) {
    throw new ConfigError('PIN_PEPPER', 'is required when NODE_ENV=production');
  }

  const dataDir = path.resolve(cwd, str(env, 'DATA_DIR') ?? 'data');
  const currency = str(env, 'DEFAULT_CURRENCY') ?? 'USD';
  if (!/^[A-Z]{3}$/.test(currency)) throw new ConfigError('DEFAULT_CURRENCY', 'must be an ISO 4217 code like USD');

  return {
    nodeEnv,
    host: str(env, 'HOST') ?? '127.0.0.1',
    port: int(env, 'PORT', 3000, 0, 65535),
    publicUrl: url(env, 'PUBLIC_URL', ['http:', 'https:']),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    dataDir,
    database: {
      url: databaseUrl,
      appUrl: url(env, 'DATABASE_APP_URL', ['postgres:', 'postgresql:']),
      poolMax: int(env, 'DATABASE_POOL_MAX', 10, 1, 200),
      embeddedPort,
    },
    jwt: {
      issuer: str(env, 'JWT_ISSUER') ?? 'novapos',
      audience: str(env, 'JWT_AUDIENCE') ?? 'novapos-api',
      privateKeyPem,
      previousPublicKeyPems: previousPublicKeys(env),
      accessTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 60, 3600),
      refreshTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 24 * 3600, 3600, 90 * 24 * 3600),
    },
    pinPepper,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    eventBusUrl: url(env, 'EVENT_BUS_URL', ['nats:']),
    login: {
      rateLimitPoints: int(env, 'LOGIN_RATE_LIMIT_POINTS', 30, 1, 100_000),
      rateLimitWindowSeconds: int(env, 'LOGIN_RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
      lockoutThreshold: int(env, 'LOCKOUT_THRESHOLD', 10, 1, 1000),
      lockoutWindowSeconds: int(env, 'LOCKOUT_WINDOW_SECONDS', 15 * 60, 1, 86_400),
      lockoutDurationSeconds: int(env, 'LOCKOUT_DURATION_SECONDS', 30 * 60, 1, 7 * 86_400),
    },
    limits: {
      bodyBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    },
    idempotencyTtlHours: int(env, 'IDEMPOTENCY_TTL_HOURS', 24, 24, 24 * 30),
    idempotencyLeaseSeconds: int(env, 'IDEMPOTENCY_LEASE_SECONDS', 10, 2, 300),
    defaultCurrency: currency,
    defaultTaxRateBps: int(env, 'DEFAULT_TAX_RATE_BPS', 0, 0, 10_000),
    moneyRounding: moneyRounding(env),
    pos: {
      cashierDiscountLimitBp: int(env, 'CASHIER_DISCOUNT_LIMIT_BP', 1000, 0, 10_000),
    },
    payments: {
      gatewayUrl: url(env, 'GATEWAY_URL', ['http:', 'https:']),
      gatewayTimeoutMs: int(env, 'GATEWAY_TIMEOUT_MS', 5000, 100, 120_000),
      authTtlMinutes: int(env, 'PAYMENT_AUTH_TTL_MINUTES', 60, 1, 7 * 24 * 60),
      orphanAuthMinutes: int(env, 'PAYMENT_ORPHAN_AUTH_MINUTES', 10, 1, 7 * 24 * 60),
    },
    jobs: {
      inServer: bool(env, 'JOBS_IN_SERVER', true),
      autoVoidSchedule: cron(env, 'AUTO_VOID_SCHEDULE', '* * * * *'),
      reconcileSchedule: cron(env, 'RECONCILE_SCHEDULE', '30 2 * * *'),
      watchdogSchedule: cron(env, 'WATCHDOG_SCHEDULE', '*/5 * * * *'),
      stuckAfterMinutes: int(env, 'WATCHDOG_STUCK_MINUTES', 30, 1, 7 * 24 * 60),
    },
    worker: {
      healthPort: int(env, 'WORKER_HEALTH_PORT', 3001, 0, 65535),
    },
    webhooks: {
      activeSecret: secret(env, 'WEBHOOK_ACTIVE_SECRET'),
      previousSecret: secret(env, 'WEBHOOK_PREVIOUS_SECRET'),
      maxSkewSeconds: int(env, 'WEBHOOK_MAX_SKEW_SECS', 300, 1, 86_400),
      allowPrivateUrls: bool(env, 'WEBHOOK_ALLOW_PRIVATE_URLS', false),
    },
    backups: {
      dir: path.resolve(cwd, str(env, 'BACKUP_DIR') ?? path.join(dataDir, 'backups')),
      schedule: cron(env, 'BACKUP_SCHEDULE', '0 2 * * *'),
      retentionDays: int(env, 'BACKUP_RETENTION_DAYS', 30, 1, 3650),
      encryptionKey: encryptionKey(env),
      maxAgeHours: int(env, 'BACKUP_MAX_AGE_HOURS', 25, 1, 24 * 31),
      pgDumpBin: str(env, 'PG_DUMP_BIN') ?? 'pg_dump',
      pgRestoreBin: str(env, 'PG_RESTORE_BIN') ?? 'pg_restore',
    },
    monitoring: {
      slowQueryMs: int(env, 'SLOW_QUERY_MS', 1000, 1, 600_000),
      tenantLabelLimit: int(env, 'METRICS_TENANT_LABEL_LIMIT', 100, 0, 10_000),
      telemetrySeriesLimit: int(env, 'TELEMETRY_SERIES_LIMIT', 500, 1, 100_000),
      metricsToken: secret(env, 'METRICS_TOKEN'),
    },
  };
}
