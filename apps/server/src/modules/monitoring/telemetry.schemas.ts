import { Type, type Static } from 'typebox';

/** Counter names a till may send (docs/sources.md, seed 000); each becomes `kind` of pos_print_retry_total (the schema lists the same). */
export const TELEMETRY_COUNTERS = {
  'pos.print.retry.queued': 'queued',
  'pos.print.retry.failed': 'failed',
  'pos.print.retry.success': 'success',
} as const;

/** Gauge names a till may send; each becomes `name` of pos_print_gauge. */
export const TELEMETRY_GAUGES = {
  'pos.print.queue_depth': 'queue_depth',
  'pos.print.retry.last_attempt': 'last_attempt',
} as const;

/** A store label: the till's own store code (e.g. `store-001`) or a location id. */
const StoreId = Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$' });

/**
 * POST /v1/pos/telemetry, exactly as seed 000's runbook sends it (docs/sources.md): a snapshot of print-retry counters and gauges.
 * Counter values are increments since the till's previous accepted snapshot (the server adds them up); gauges are
 * the value now.
 */
export const TelemetryBody = Type.Object(
  {
    ts: Type.Integer({ minimum: 0, description: 'When the till took the snapshot, Unix milliseconds' }),
    labels: Type.Object(
      {
        tenant_id: Type.String({ format: 'uuid', description: "Must be the caller's tenant" }),
        store_id: StoreId,
      },
      { additionalProperties: false },
    ),
    counters: Type.Array(
      Type.Object(
        {
          name: Type.Union([
            Type.Literal('pos.print.retry.queued'),
            Type.Literal('pos.print.retry.failed'),
            Type.Literal('pos.print.retry.success'),
          ]),
          value: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    gauges: Type.Array(
      Type.Object(
        {
          name: Type.Union([Type.Literal('pos.print.queue_depth'), Type.Literal('pos.print.retry.last_attempt')]),
          value: Type.Number({ minimum: 0, maximum: 1_000_000_000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);
export type TelemetryInput = Static<typeof TelemetryBody>;

export const TelemetryAccepted = Type.Object({
  status: Type.Literal('accepted'),
  counters: Type.Integer(),
  gauges: Type.Integer(),
  store_id: Type.String({ description: 'The store label used: the one sent, or `other` past the series limit' }),
});
