/**
 * Plain-language sentences for the API's error codes, shared by the till and the back office. A person at a till
 * reads these, so they say what happened and what to do; the code stays available for support. A test checks that
 * every code the server can answer has a sentence here.
 */
export const ERROR_SENTENCES = {
  validation_failed: 'Some of the information is not valid. Check the highlighted fields.',
  malformed_json: 'The request could not be read. Try again.',
  malformed_request: 'The request could not be read. Reload the page and try again.',
  request_timeout: 'The request took too long to arrive. Check the network and try again.',
  uri_too_long: 'That address is too long. Shorten the search and try again.',
  headers_too_large: 'The request was too large. Sign out and in again, then retry.',
  id_taken: 'This sale could not be saved under its number. Start it again.',
  amount_too_large: 'The amount is too large. Lower the quantity or split the sale.',
  invalid_cursor: 'The list position is no longer valid. Reload the list.',
  invalid_header: 'The request was malformed. Reload the page and try again.',
  unauthorized: 'Please sign in.',
  invalid_token: 'Your session is not valid. Please sign in again.',
  token_expired: 'Your session has expired. Please sign in again.',
  forbidden: 'Your role does not allow this.',
  tenant_mismatch: 'This belongs to another shop.',
  not_found: 'That could not be found.',
  route_not_found: 'That page or action does not exist.',
  method_not_allowed: 'That action is not allowed here.',
  conflict: 'Someone else changed this at the same time. Reload and try again.',
  payload_too_large: 'That is too large to send.',
  unsupported_media_type: 'That file or format is not supported.',
  idempotency_key_in_use: 'This is still being processed. Wait a moment.',
  idempotency_key_reused: 'This request was already sent with different contents.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  internal_error: 'Something went wrong on the server. Try again; if it keeps happening, call support.',
  maintenance: 'The system is under maintenance. Try again in a few minutes.',
  backup_in_progress: 'A backup is already being made. Wait for it to finish.',
  backup_not_found: 'That backup does not exist (any more).',
  backups_unavailable: 'Backups cannot be made on this server: its PostgreSQL tools (pg_dump) are missing or too old.',
  service_unavailable: 'The service is not available right now. Try again shortly.',
  invalid_credentials: 'The e-mail or password is wrong.',
  invalid_pin: 'That PIN is not right.',
  tenant_id_required: 'Choose the shop to sign in to.',
  account_locked: 'This account is locked after too many attempts. Try again later or ask a manager.',
  account_inactive: 'This account is switched off. Ask a manager.',
  invalid_refresh_token: 'Your session has ended. Please sign in again.',
  refresh_token_reused: 'Your session was ended for safety. Please sign in again.',
  tenant_not_found: 'That shop does not exist.',
  location_not_found: 'That location does not exist.',
  register_not_found: 'That register does not exist.',
  user_not_found: 'That person does not exist.',
  email_taken: 'That e-mail address is already in use.',
  pin_taken: 'That PIN is already used by someone else.',
  name_taken: 'That name is already in use.',
  role_not_grantable: 'You cannot give that role.',
  last_owner: 'The shop needs at least one owner.',
  location_archived: 'That location is archived.',
  product_not_found: 'That product does not exist.',
  variant_not_found: 'That product variant does not exist.',
  category_not_found: 'That category does not exist.',
  category_order_mismatch: 'The categories were changed meanwhile. Reload the list and try again.',
  sku_taken: 'That SKU is already used by another product.',
  barcode_taken: 'That barcode is already used by another product.',
  unknown_sku: 'That product is not in the catalog.',
  unknown_barcode: 'That barcode is not in the catalog.',
  product_archived: 'That product is no longer sold.',
  insufficient_stock: 'There is not enough stock for this sale.',
  order_not_found: 'That order does not exist.',
  invalid_state_transition: 'That cannot be done to the order in its current state.',
  insufficient_tender: 'The payment does not cover the total yet.',
  invalid_tender: 'That payment is not valid for this order.',
  discount_approval_required: 'This discount is above your limit: a manager must approve it.',
  invalid_approval: 'The manager approval is not valid for this sale. Ask for approval again.',
  payment_intent_not_found: 'That card payment does not exist.',
  payment_declined: 'The card was declined. Try another card or another way to pay.',
  refund_exceeds_captured: 'The refund is more than was paid.',
  capture_exceeds_authorized: 'The amount is more than the card authorized.',
  invalid_card_token: 'The card could not be read. Try again.',
  gateway_unavailable: 'The card processor is not answering. Try again or take another payment.',
  payments_disabled: 'Card payments are not set up for this shop.',
  sig_missing: 'The webhook signature is missing.',
  sig_mismatch: 'The webhook signature does not match.',
  sig_ts_invalid: 'The webhook timestamp is not valid.',
  sig_skew: 'The webhook is too old or from the future.',
  sig_replay: 'The webhook was already received.',
  webhooks_disabled: 'Webhooks are not set up.',
  webhook_event_not_found: 'That webhook event does not exist.',
  malformed_webhook: 'The webhook could not be read.',
  code_taken: 'That code is already in use.',
  cannot_deactivate_self: 'You cannot switch off your own account.',
  tax_rate_override_not_found: 'That tax override does not exist.',
  offline_signin_conflict: 'This offline sign-in was already reported differently. Call support.',
  network_error: 'The server cannot be reached. Check the connection.',
  device_not_found: 'This till is not set up to send offline sales. Ask a manager to set it up again.',
  offline_signature_invalid: 'This offline sale was altered or not signed by this till. It was refused and recorded.',
  offline_seq_reused: 'Another sale already used this number on this till. It was refused and recorded.',
  offline_sale_cancelled: 'This sale was cancelled at the till.',
  replay_conflict: 'Prices or stock changed since this sale was made offline. Choose how to resolve it.',
  offline_card_not_allowed: 'A card cannot be charged through the processor while offline.',
  offline_sale_accepted: 'The server already accepted this sale. Void its order instead.',
  invalid_refund: 'The refund is more than the sale took.',
  replay_approval_required: "This resolution needs a manager's PIN.",
} as const satisfies Record<string, string>;

export type KnownErrorCode = keyof typeof ERROR_SENTENCES;

function statusSentence(status: number): string {
  if (status === 401) return ERROR_SENTENCES.unauthorized;
  if (status === 403) return ERROR_SENTENCES.forbidden;
  if (status === 404) return ERROR_SENTENCES.not_found;
  if (status === 429) return ERROR_SENTENCES.rate_limited;
  if (status >= 500) return ERROR_SENTENCES.internal_error;
  return 'The request was refused.';
}

/** The sentence for a code; an unknown code (a newer server) falls back to one for its HTTP status. */
export function errorSentence(code: string, status: number): string {
  return (ERROR_SENTENCES as Record<string, string | undefined>)[code] ?? statusSentence(status);
}

/** One wrong field of a `validation_failed` problem. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * An RFC 9457 problem from the API (or a network failure, `network_error` with status 0), as the apps show it:
 * `message` is the human sentence; `code`, `status` and `request_id` stay available for support.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly request_id: string | undefined;
  /** The server's own detail, more technical than the sentence. */
  readonly detail: string | undefined;
  readonly errors: readonly FieldProblem[];
  /** The whole problem body, for codes that carry more members. */
  readonly body: Readonly<Record<string, unknown>>;

  constructor(init: {
    code: string;
    status: number;
    request_id?: string | undefined;
    detail?: string | undefined;
    errors?: readonly FieldProblem[];
    body?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super(errorSentence(init.code, init.status), { cause: init.cause });
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.request_id = init.request_id;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.body = init.body ?? {};
  }

  /** True when the server was not reached at all: the till then works offline. */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Turns a failed response and its parsed body (a problem, or anything else) into an ApiError. */
export function problemToError(response: Response, body: unknown): ApiError {
  const problem = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter(
        (e): e is FieldProblem => typeof e === 'object' && e !== null && typeof (e as FieldProblem).field === 'string',
      )
    : [];
  return new ApiError({
    code: str(problem.code) ?? response.headers.get('x-error-code') ?? `http_${response.status}`,
    status: response.status,
    request_id: str(problem.request_id) ?? response.headers.get('x-request-id') ?? undefined,
    detail: str(problem.detail),
    errors,
    body: problem,
  });
}
