import { describe, expect, it } from 'vitest';
import { ERROR_MAPS, ERROR_STATUS } from './errors.ts';
import { AppError } from './platform/errors.ts';

// The one map as it was before it was split by owner (docs/architecture.md, "Error codes"): the split must change no code and no status.
const BEFORE_SPLIT = {
  validation_failed: 400,
  malformed_json: 400,
  invalid_cursor: 400,
  invalid_header: 400,
  unauthorized: 401,
  invalid_token: 401,
  token_expired: 401,
  forbidden: 403,
  tenant_mismatch: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_in_use: 409,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  maintenance: 503,
  service_unavailable: 503,
  invalid_credentials: 401,
  invalid_pin: 401,
  tenant_id_required: 400,
  account_locked: 423,
  account_inactive: 403,
  invalid_refresh_token: 401,
  refresh_token_reused: 401,
  tenant_not_found: 404,
  location_not_found: 404,
  register_not_found: 404,
  user_not_found: 404,
  email_taken: 409,
  pin_taken: 409,
  name_taken: 409,
  role_not_grantable: 403,
  last_owner: 409,
  location_archived: 409,
  product_not_found: 404,
  variant_not_found: 404,
  category_not_found: 404,
  category_order_mismatch: 409,
  sku_taken: 409,
  barcode_taken: 409,
  unknown_sku: 422,
  unknown_barcode: 422,
  product_archived: 422,
  insufficient_stock: 409,
  order_not_found: 404,
  invalid_state_transition: 409,
  insufficient_tender: 422,
  invalid_tender: 422,
  discount_approval_required: 403,
  invalid_approval: 403,
  payment_intent_not_found: 404,
  payment_declined: 402,
  refund_exceeds_captured: 422,
  capture_exceeds_authorized: 422,
  invalid_card_token: 400,
  gateway_unavailable: 503,
  payments_disabled: 503,
  sig_missing: 401,
  sig_mismatch: 401,
  sig_ts_invalid: 401,
  sig_skew: 401,
  sig_replay: 401,
  webhooks_disabled: 503,
  webhook_event_not_found: 404,
  malformed_webhook: 400,
  code_taken: 409,
  cannot_deactivate_self: 403,
  tax_rate_override_not_found: 404,
  backup_in_progress: 409,
  backup_not_found: 404,
  backups_unavailable: 503,
};

// Added since, by the hostile-input work of the same issue: requests that cannot be read, ids taken elsewhere,
// totals past 2^53.
const ADDED_SINCE = {
  malformed_request: 400,
  request_timeout: 408,
  uri_too_long: 414,
  headers_too_large: 431,
  id_taken: 409,
  amount_too_large: 422,
  offline_signin_conflict: 409,
  // Issue 13 §2, replay of sales taken offline.
  device_not_found: 404,
  offline_signature_invalid: 422,
  offline_seq_reused: 409,
  offline_sale_cancelled: 409,
  replay_conflict: 409,
  offline_card_not_allowed: 422,
  offline_sale_accepted: 409,
  invalid_refund: 422,
  replay_approval_required: 403,
};

describe('the composed error map', () => {
  it('holds exactly the codes and statuses of the map it replaced, and the codes added since', () => {
    expect(ERROR_STATUS).toEqual({ ...BEFORE_SPLIT, ...ADDED_SINCE });
  });

  it('gives each code one owner', () => {
    const owners = new Map<string, string[]>();
    for (const [owner, map] of Object.entries(ERROR_MAPS)) {
      for (const code of Object.keys(map)) owners.set(code, [...(owners.get(code) ?? []), owner]);
    }
    expect([...owners].filter(([, o]) => o.length > 1)).toEqual([]);
  });

  it("gives an AppError of any owner's code its status", () => {
    expect(new AppError('insufficient_stock', 'x').status).toBe(409);
    expect(new AppError('invalid_credentials', 'x').status).toBe(401);
    expect(new AppError('validation_failed', 'x').status).toBe(400);
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(new AppError(code as keyof typeof ERROR_STATUS, 'x').status, code).toBe(status);
    }
  });
});
