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

/** Problem responses for the given statuses. */
export function problems(...statuses: number[]): Record<number, typeof ProblemRef> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemRef]));
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
