/** The HTTP statuses NovaPOS answers errors with (each has a title below). */
export type HttpStatus =
  400 | 401 | 402 | 403 | 404 | 405 | 408 | 409 | 413 | 414 | 415 | 422 | 423 | 429 | 431 | 500 | 503;

/** One module's error codes and their statuses. Clients rely on codes never changing meaning. */
export type ErrorStatusMap = Readonly<Record<string, HttpStatus>>;

/**
 * The platform's own codes: HTTP and validation, access, idempotency, rate limits, maintenance, and the generic
 * `not_found` / `conflict` / `forbidden` any module may answer with. Each module declares its own codes in its
 * `<module>.errors.ts`; `apps/server/src/errors.ts` composes them all into the one map (platform imports no module).
 */
export const PLATFORM_ERRORS = {
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
} as const satisfies ErrorStatusMap;

/**
 * The error maps of the whole server, one member per owner. Each module adds its member from its
 * `<module>.errors.ts` by declaration merging (`declare module '../../platform/errors.ts' { interface ErrorMaps
 * { auth: typeof AUTH_ERRORS } }`), so the code type below knows every module's codes while platform imports none;
 * `apps/server/src/errors.ts` must then list that map (`satisfies ErrorMaps`), or the type check fails.
 */
export interface ErrorMaps {
  platform: typeof PLATFORM_ERRORS;
}

/** Every error code NovaPOS answers with: the union of every owner's map. A code outside it cannot be thrown. */
export type ErrorCode = { [Owner in keyof ErrorMaps]: keyof ErrorMaps[Owner] & string }[keyof ErrorMaps];

// The statuses of every code, filled by registerErrorStatuses: the platform's from the start, the modules' when
// apps/server/src/errors.ts is loaded (runtime.ts loads it, so every app built has them).
const statuses = new Map<string, HttpStatus>(Object.entries(PLATFORM_ERRORS));

/**
 * Registers the composed code → status map (apps/server/src/errors.ts calls it once). The same code with two
 * statuses is refused: one code means one thing.
 */
export function registerErrorStatuses(map: ErrorStatusMap): void {
  for (const [code, status] of Object.entries(map)) {
    const known = statuses.get(code);
    if (known !== undefined && known !== status) {
      throw new Error(`error code ${code} is mapped to both ${known} and ${status}`);
    }
    statuses.set(code, status);
  }
}

/** The status of a code; 500 for a code whose module map was never registered (a wiring bug, caught by tests). */
export function statusOf(code: ErrorCode): HttpStatus {
  return statuses.get(code) ?? 500;
}

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
    this.status = statusOf(code);
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
  return (STATUS_TITLES as Record<number, string | undefined>)[status] ?? 'Error';
}

const STATUS_TITLES: Record<HttpStatus, string> = {
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
