import { TENANT_ROLES } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { requireTenant } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { problems } from '../../platform/http/schemas.ts';
import { recordTelemetry, telemetryMetrics } from './telemetry.metrics.ts';
import { TelemetryAccepted, TelemetryBody } from './telemetry.schemas.ts';

/** POST /v1/pos/telemetry: the till's print-retry counters and gauges (docs/sources.md, seed 000), into /metrics. */
export function telemetryRoutes(app: App, deps: AppDeps): void {
  const metrics = telemetryMetrics(deps.metrics.registry, {
    pairs: deps.config.monitoring.telemetrySeriesLimit,
    tenants: deps.config.monitoring.tenantLabelLimit,
  });

  app.post(
    '/v1/pos/telemetry',
    {
      // Telemetry is not a business write: a till keeps reporting its printer during maintenance.
      config: { access: TENANT_ROLES, maintenanceExempt: true },
      schema: {
        tags: ['ops'],
        operationId: 'recordTillTelemetry',
        summary: "A till's print-retry telemetry snapshot",
        description:
          'Counters are increments since the previous accepted snapshot; gauges are current values. Names are ' +
          "whitelisted; `labels.tenant_id` must be the caller's tenant. Exposed on /metrics as " +
          '`pos_print_retry_total{tenant_id,store_id,kind}` and `pos_print_gauge{tenant_id,store_id,name}`.',
        body: TelemetryBody,
        response: { 202: TelemetryAccepted, ...problems(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const tenantId = requireTenant(request.ctx);
      if (request.body.labels.tenant_id !== tenantId) {
        throw new AppError('tenant_mismatch', 'labels.tenant_id is not the tenant you are signed in to');
      }
      const store = recordTelemetry(metrics, tenantId, request.body);
      return reply.code(202).send({
        status: 'accepted' as const,
        counters: request.body.counters.length,
        gauges: request.body.gauges.length,
        store_id: store,
      });
    },
  );
}
