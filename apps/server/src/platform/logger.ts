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

/** JSON logs with the request id on each line; request-scoped children add tenant_id and user_id. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    base: { service: 'novapos' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
  };
}
