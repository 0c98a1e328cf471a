import { rolesAtLeast, type Role } from '@novapos/domain';
import { Type } from 'typebox';
import type { App } from '../../../platform/app-deps.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { problems, Timestamp, Uuid } from '../../../platform/http/schemas.ts';
import type { PaymentsDeps } from '../payments.service.ts';
import {
  checkDate,
  reconcileDay,
  reconciliationDriftGauge,
  storedReconciliation,
  summarize,
  yesterdayUtc,
  type ReconciliationResult,
} from './reconcile.ts';

const TAGS = ['payments'];
const READERS: Role[] = [...rolesAtLeast('admin'), 'superadmin'];
const SUPERADMIN: Role[] = ['superadmin'];
// Checked by checkDate (a calendar day, not in the future) so that every bad date gets the same problem.
const DateField = Type.String({ maxLength: 20, description: 'YYYY-MM-DD (UTC); default: yesterday' });
const Cents = Type.Union([Type.Integer(), Type.Null()]);

const ReconciliationSchema = Type.Object({
  date: Type.String(),
  run_at: Timestamp,
  matched: Type.Integer(),
  drift: Type.Integer(),
  lines: Type.Array(
    Type.Object({
      type: Type.Union([Type.Literal('capture'), Type.Literal('refund')]),
      provider_ref: Type.String(),
      tenant_id: Type.Union([Uuid, Type.Null()]),
      ours_cents: Cents,
      processor_cents: Cents,
      status: Type.Union([
        Type.Literal('matched'),
        Type.Literal('missing_at_processor'),
        Type.Literal('missing_here'),
        Type.Literal('amount_mismatch'),
      ]),
    }),
  ),
});

/** A tenant sees its own lines (and counts of them); a superadmin sees every line, unattributed ones included. */
function visibleTo(ctx: RequestContext, result: ReconciliationResult): ReconciliationResult {
  if (ctx.tenantId === undefined) return result;
  return { ...result, ...summarize(result.lines.filter((l) => l.tenant_id === ctx.tenantId)) };
}

/** GET /v1/payments/reconciliation and POST /v1/payments/reconciliation/run (docs/payments.md, "Jobs"). */
export function reconciliationRoutes(
  app: App,
  payments: PaymentsDeps,
  registry: Parameters<typeof reconciliationDriftGauge>[0],
): void {
  reconciliationDriftGauge(registry, payments.db);

  app.get(
    '/v1/payments/reconciliation',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        operationId: 'getReconciliation',
        summary:
          "Settlement reconciliation of a day: the stored run, or one made now (owner, admin: own tenant's lines)",
        querystring: Type.Object({ date: Type.Optional(DateField) }, { additionalProperties: false }),
        response: { 200: ReconciliationSchema, ...problems(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const date = checkDate(request.query.date ?? yesterdayUtc());
      const result = (await storedReconciliation(payments.db, date)) ?? (await reconcileDay(payments, date));
      return visibleTo(request.ctx, result);
    },
  );

  app.post(
    '/v1/payments/reconciliation/run',
    {
      config: { access: SUPERADMIN },
      schema: {
        tags: TAGS,
        operationId: 'runReconciliation',
        summary: 'Reconcile a day now, replacing its stored run (superadmin)',
        body: Type.Object({ date: Type.Optional(DateField) }, { additionalProperties: false }),
        response: { 200: ReconciliationSchema, ...problems(400, 401, 403, 415, 503) },
      },
    },
    (request) => reconcileDay(payments, checkDate(request.body.date ?? yesterdayUtc())),
  );
}
