import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of webhooks: incoming processor webhooks (signatures: docs/webhooks.md). Composed with every other owner's in apps/server/src/errors.ts. */
export const WEBHOOKS_ERRORS = {
  sig_missing: 401,
  sig_mismatch: 401,
  sig_ts_invalid: 401,
  sig_skew: 401,
  sig_replay: 401,
  webhooks_disabled: 503,
  webhook_event_not_found: 404,
  malformed_webhook: 400,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    webhooks: typeof WEBHOOKS_ERRORS;
  }
}
