import { RECEIPT_TEXT_LINE_MAX, RECEIPT_TEXT_MAX_LINES } from '@novapos/domain';
import { Type, type Static, type TSchema, type TStringOptions } from 'typebox';

/** Shared schema pieces. Every route's schema gives validation, serialization, OpenAPI and its TypeScript type. */
export const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
export const Timestamp = Type.String({ format: 'date-time' });
export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });

/*
 * What text NovaPOS accepts (docs/api.md "Text and numbers"): well-formed Unicode without control characters.
 * Refused everywhere: C0 controls (U+0000–U+001F; NUL makes PostgreSQL fail, ESC and friends drive printers and
 * terminals), DEL (U+007F), C1 controls (U+0080–U+009F) and lone UTF-16 surrogates (no UTF-8 form: PostgreSQL
 * refuses them in JSON, and text columns would silently store U+FFFD). Multi-line fields (a product description,
 * an order note) also take tab, line feed and carriage return. Everything else is accepted, format characters
 * such as right-to-left marks included: they are part of writing in many languages.
 *
 * The rule is a schema `pattern`, so the API document states it and any client's validator can check it. The
 * pattern works with and without the `u` flag: a surrogate pair is one code point above U+FFFF under `u`, and two
 * code units matched by the second branch without it; a lone surrogate matches neither branch either way.
 */
const PAIR = '[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]';
/** One line of text: no control character at all, no lone surrogate. */
export const TEXT_PATTERN = `^(?:[^\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]|${PAIR})*$`;
/** Text of several lines: tab, line feed and carriage return allowed, other control characters refused. */
export const MULTILINE_TEXT_PATTERN = `^(?:[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]|${PAIR})*$`;

const TEXT_RE = new RegExp(TEXT_PATTERN, 'u');
const MULTILINE_TEXT_RE = new RegExp(MULTILINE_TEXT_PATTERN, 'u');

/**
 * Why a text is refused by the rule above, or undefined when it is acceptable: for text that arrives outside a
 * JSON schema (a CSV cell). The messages are the ones a `validation_failed` problem gives for a schema field.
 */
export function textProblem(value: string, multiline = false): string | undefined {
  if (multiline) return MULTILINE_TEXT_RE.test(value) ? undefined : TEXT_MESSAGES[MULTILINE_TEXT_PATTERN];
  return TEXT_RE.test(value) ? undefined : TEXT_MESSAGES[TEXT_PATTERN];
}

/** The message of a refused text, by the pattern it broke. */
export const TEXT_MESSAGES: Readonly<Record<string, string>> = {
  [TEXT_PATTERN]: 'must not contain control characters (U+0000–U+001F, U+007F–U+009F) or unpaired surrogates',
  [MULTILINE_TEXT_PATTERN]:
    'must not contain control characters other than tab and line breaks (U+0000–U+001F, U+007F–U+009F) or ' +
    'unpaired surrogates',
};

/** A one-line text field (a name, a reason, a search): see TEXT_PATTERN. */
export function Text(options: Omit<TStringOptions, 'pattern' | 'format'> = {}) {
  return Type.String({ ...options, pattern: TEXT_PATTERN });
}

/** A text field that may hold several lines (a description, a note): see MULTILINE_TEXT_PATTERN. */
export function MultilineText(options: Omit<TStringOptions, 'pattern' | 'format'> = {}) {
  return Type.String({ ...options, pattern: MULTILINE_TEXT_PATTERN });
}

/** The name of a thing (a location, a product, a person): 1 to 200 characters of one-line text. */
export const Name = Text({ minLength: 1, maxLength: 200 });

/** `?q=` of a list: part of a name, an e-mail or a SKU. */
export function SearchQuery(description: string) {
  return Text({ minLength: 1, maxLength: 100, description });
}

/**
 * Lines printed on a receipt (a store's address, a tenant's footer): at most 4 strings of at most 42 characters.
 * The service then trims each line, drops blank ones and refuses control characters (`checkReceiptLines`).
 */
export function ReceiptLines(description: string) {
  return Type.Array(Text({ maxLength: RECEIPT_TEXT_LINE_MAX }), {
    maxItems: RECEIPT_TEXT_MAX_LINES,
    description: `${description}. Up to ${RECEIPT_TEXT_MAX_LINES} lines of up to ${RECEIPT_TEXT_LINE_MAX} characters; each line is trimmed and blank lines are dropped`,
  });
}

/** A tenant role. */
export const TenantRoleSchema = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('manager'),
  Type.Literal('cashier'),
]);
/** Any role, the platform's superadmin included. */
export const RoleSchema = Type.Union([TenantRoleSchema, Type.Literal('superadmin')]);

/** RFC 9457 problem details, as every error is answered. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code; also in the X-Error-Code header' }),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    request_id: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof Problem>;

/** A reference to the shared Problem schema, for response maps. */
export const ProblemRef = Type.Ref('Problem');

/** A problem response as the server sends it: `application/problem+json` (problem.ts's sendProblem). */
export interface ProblemResponse {
  readonly description: string;
  readonly content: { readonly 'application/problem+json': { readonly schema: typeof ProblemRef } };
}

/** What each status means for a client, in the document. */
const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'The request is malformed or fails validation (`validation_failed` lists the fields in `errors`)',
  401: 'Missing, invalid or expired credentials',
  402: 'The payment failed (e.g. a declined card)',
  403: 'The token does not allow this (role, tenant or location scope)',
  404: 'Not found (or not visible to this tenant)',
  409: 'A conflict with the current state (taken name or code, state transition, concurrent change)',
  413: 'The request body is too large',
  415: 'The body is not in a supported media type',
  422: 'Understood but refused by a business rule (the code says which)',
  423: 'The account is locked after too many attempts',
  429: 'Too many attempts: wait for Retry-After',
  503: 'Unavailable now (maintenance, a dependency down): retry later',
};

/** Problem responses for the given statuses, declared as `application/problem+json` (what the server sends). */
export function problems(...statuses: number[]): Record<number, ProblemResponse> {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: PROBLEM_DESCRIPTIONS[s] ?? 'A problem',
        content: { 'application/problem+json': { schema: ProblemRef } },
      },
    ]),
  );
}

/** `?limit=&cursor=` of every list. */
export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Text({ minLength: 1, maxLength: 512 })),
  },
  { additionalProperties: false },
);

/** `{data: [...], next_cursor}` of every list. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ data: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });
}
