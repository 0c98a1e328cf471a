import { Type, type Static } from 'typebox';
import { Problem, Uuid } from '../../platform/http/schemas.ts';

// The replay diff's shape in the API (docs/pos.md "Replay"); the domain's `replayDiff` computes it.

const LineRef = {
  position: Type.Integer({ description: "The line's index in the order's items (0-based)" }),
  variant_id: Uuid,
  sku: Type.String(),
  name: Type.String(),
};

/** One difference between a replayed sale's price lock and what the server holds now (ReplayDiff v1). */
export const ReplayChangeSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('price_changed'),
    ...LineRef,
    till_unit_price_cents: Type.Integer(),
    current_unit_price_cents: Type.Integer(),
  }),
  Type.Object({
    kind: Type.Literal('tax_rate_changed'),
    till_rate_bps: Type.Integer(),
    current_rate_bps: Type.Integer(),
  }),
  Type.Object({ kind: Type.Literal('product_archived'), ...LineRef }),
  Type.Object({
    kind: Type.Literal('stock_short'),
    ...LineRef,
    location_id: Uuid,
    wanted: Type.Integer(),
    available: Type.Integer(),
  }),
  Type.Object({ kind: Type.Literal('register_closed'), register_id: Uuid }),
  Type.Object({ kind: Type.Literal('discount_over_limit'), discount_bp: Type.Integer(), limit_bp: Type.Integer() }),
  Type.Object({
    kind: Type.Literal('total_changed'),
    till_total_cents: Type.Integer(),
    current_total_cents: Type.Integer(),
  }),
]);

/**
 * The replay diff, version 1: sale-wide changes first, then by line position and kind, the total last. Reserved
 * kinds (`customer_gone`, `promotion_gone`) are not produced by version 1. Also the `diff` of a 409
 * `replay_conflict` problem.
 */
export const ReplayDiffSchema = Type.Object(
  {
    version: Type.Literal(1),
    changes: Type.Array(ReplayChangeSchema),
  },
  { description: 'What differs between a sale taken offline and what the server holds now' },
);
export type ReplayDiffDto = Static<typeof ReplayDiffSchema>;

/** The domain's diff as the API carries it (the same value; the schema's arrays are not readonly). */
export function diffDto(diff: {
  readonly version: 1;
  readonly changes: readonly ReplayDiffDto['changes'][number][];
}): ReplayDiffDto {
  return { version: diff.version, changes: [...diff.changes] };
}

/**
 * The 409 of a sale: any conflict's problem; `replay_conflict` (a sale taken offline that differs from what the
 * server holds now) carries the diff. Registered as a shared schema so the document names it.
 */
export const ReplayConflictProblem = Type.Object(
  {
    ...Problem.properties,
    diff: Type.Optional(ReplayDiffSchema),
  },
  {
    $id: 'ReplayConflictProblem',
    additionalProperties: true,
    description: 'A conflict (RFC 9457 problem); with code replay_conflict, `diff` says what differs (ReplayDiff v1)',
  },
);
