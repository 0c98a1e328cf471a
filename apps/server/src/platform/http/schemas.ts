import { RECEIPT_TEXT_LINE_MAX, RECEIPT_TEXT_MAX_LINES } from '@novapos/domain';
import { Type, type Static, type TSchema } from 'typebox';

/** Shared schema pieces. Every route's schema gives validation, serialization, OpenAPI and its TypeScript type. */
export const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
export const Timestamp = Type.String({ format: 'date-time' });
export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
export const Name = Type.String({ minLength: 1, maxLength: 200 });

/**
 * Lines printed on a receipt (a store's address, a tenant's footer): at most 4 strings of at most 42 characters.
 * The service then trims each line, drops blank ones and refuses control characters (`checkReceiptLines`).
 */
export function ReceiptLines(description: string) {
  return Type.Array(Type.String({ maxLength: RECEIPT_TEXT_LINE_MAX }), {
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
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  },
  { additionalProperties: false },
);

/** `{data: [...], next_cursor}` of every list. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ data: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });
}
