import type { BaseLogger } from 'pino';
import type { Database } from '../../platform/db/database.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { WebhookProcessor, type WebhookProcessorOptions } from './webhooks.processor.ts';

export {
  registerWebhookHandler,
  type WebhookEvent,
  type WebhookHandler,
  type WebhookHandlerContext,
} from './webhooks.handlers.ts';
export { WebhookProcessor, DEFAULT_BACKOFF_MS, type WebhookProcessorOptions } from './webhooks.processor.ts';

/**
 * The background processor of incoming webhook events; server.ts starts it after the app and stops it before
 * the database. `options` tunes back-off and polling (tests use short back-off).
 */
export function createWebhookProcessor(
  deps: {
    db: Database;
    logger: Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;
    metrics: Pick<Metrics, 'registry'>;
  },
  options: Pick<WebhookProcessorOptions, 'backoffMs' | 'pollMs' | 'nonceRetentionSeconds'> = {},
): WebhookProcessor {
  return new WebhookProcessor({ ...deps, ...options });
}
