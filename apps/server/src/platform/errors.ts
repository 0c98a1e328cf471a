/**
 * Every error code NovaPOS answers with, and its HTTP status. The code type is derived from this map, so a code
 * cannot be thrown without a status; clients rely on codes never changing meaning.
 */
export const ERROR_STATUS = {
  // HTTP and validation (platform)
  validation_failed: 400,
  malformed_json: 400,
  // The request itself could not be read: a URL that is not valid percent-encoding, a broken HTTP message.
  malformed_request: 400,
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
  request_timeout: 408,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  idempotency_key_in_use: 409,
  idempotency_key_reused: 422,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  maintenance: 503,
  service_unavailable: 503,
  // auth
  invalid_credentials: 401,
  invalid_pin: 401,
  tenant_id_required: 400,
  account_locked: 423,
  account_inactive: 403,
  invalid_refresh_token: 401,
  refresh_token_reused: 401,
  // tenancy and users
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
  // catalog
  product_not_found: 404,
  variant_not_found: 404,
  category_not_found: 404,
  category_order_mismatch: 409,
  sku_taken: 409,
  barcode_taken: 409,
  unknown_sku: 422,
  unknown_barcode: 422,
  product_archived: 422,
  // inventory
  insufficient_stock: 409,
  // orders and tenders
  order_not_found: 404,
  // A client-supplied id that is already taken (by whom is not said: ids are global, tenants are not).
  id_taken: 409,
  // A total past what is computed exactly (2^53 − 1 minor units), though each input is inside its limits.
  amount_too_large: 422,
  invalid_state_transition: 409,
  insufficient_tender: 422,
  invalid_tender: 422,
  // the till: discounts above the cashier's limit need a manager's approval
  discount_approval_required: 403,
  invalid_approval: 403,
  // payments
  payment_intent_not_found: 404,
  payment_declined: 402,
  refund_exceeds_captured: 422,
  capture_exceeds_authorized: 422,
  invalid_card_token: 400,
  gateway_unavailable: 503,
  payments_disabled: 503,
  // incoming webhooks (seed 000)
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
  // backups (operations)
  backup_in_progress: 409,
  backup_not_found: 404,
  backups_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One wrong field of a request, as reported in a `validation_failed` problem. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * An expected failure with a stable code. Services throw it (or return it); the one error handler turns it into
 * an RFC 9457 problem. `extra` members are added to the problem body (e.g. `retry_after_seconds`).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: readonly FieldError[] | undefined;
  readonly extra: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      errors?: readonly FieldError[];
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.errors = options.errors;
    this.extra = options.extra;
    this.headers = options.headers;
  }
}

/** A `validation_failed` error naming one field. */
export function invalidField(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });
}

/** Human title of a status, for the problem's `title`. */
export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? 'Error';
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
