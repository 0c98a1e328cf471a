import type { LoggerOptions } from 'pino';
import type { Config } from './config.ts';

/**
 * Paths pino removes from every log line. Secrets must never reach a log: passwords, PINs, tokens, keys and the
 * Authorization header, wherever they appear in a logged object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.*.password',
  '*.pin',
  '*.*.pin',
  '*.new_password',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.password_hash',
  '*.private_key',
  'password',
  'pin',
  'refresh_token',
  'access_token',
];

/** The part of a request a log line keeps (Fastify's request, or any object logged under `req`). */
interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly host?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number } | null;
}

/**
 * A request as its log lines show it: method, path, host and peer, never headers and never the query string. A
 * query may carry a secret (a JWT sent as `?access_token=`, a signed link), and redaction by key cannot see
 * inside a URL; the route and the request id identify the request well enough.
 */
export function serializeRequest(req: LoggedRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** JSON logs with the request id on each line; request-scoped children add tenant_id and user_id. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    base: { service: 'novapos' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Replaces Fastify's request serializer (which logs the URL with its query), for the app's logger and any
    // logger built from these options.
    serializers: { req: serializeRequest },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
  };
}
