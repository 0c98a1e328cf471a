import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import type { App, AppDeps } from './platform/app-deps.ts';
import { registerAccess } from './platform/http/access.ts';
import { registerIdempotency } from './platform/http/idempotency.ts';
import { registerMaintenanceGuard } from './platform/http/maintenance-guard.ts';
import { registerObservability, requestIdOf } from './platform/http/observability.ts';
import { registerOpenApi } from './platform/http/openapi.ts';
import { onClientError, onFrameworkError, registerProblemHandlers } from './platform/http/problem.ts';
import { parseQueryString, registerValidation } from './platform/http/validation.ts';
import { defaultWebApps, registerWebApps } from './platform/http/web-apps.ts';
import { Problem } from './platform/http/schemas.ts';
import { loggerOptions } from './platform/logger.ts';
// Routes come straight from each module's routes file; a module's index.ts is what other modules may use.
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { backupsRoutes } from './modules/backups/backups.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { catalogRoutes } from './modules/catalog/catalog.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { hooksRoutes } from './modules/hooks/hooks.routes.ts';
import { inventoryRoutes } from './modules/inventory/inventory.routes.ts';
import { monitoringRoutes } from './modules/monitoring/monitoring.routes.ts';
import { opsJobsRoutes } from './modules/ops/jobs.routes.ts';
import { telemetryRoutes } from './modules/monitoring/telemetry.routes.ts';
import { ordersRoutes } from './modules/orders/orders.routes.ts';
import { paymentsRoutes } from './modules/payments/payments.routes.ts';
import { posRoutes } from './modules/pos/pos.routes.ts';
import { offlineSigninRoutes } from './modules/pos/offline-signin.routes.ts';
import { platformRoutes } from './modules/platform/platform.routes.ts';
import { receiptsRoutes } from './modules/receipts/receipts.routes.ts';
import { reportsRoutes } from './modules/reports/reports.routes.ts';
import { taxRoutes } from './modules/tax/tax.routes.ts';
import { tenancyRoutes } from './modules/tenancy/tenancy.routes.ts';
import { usersRoutes } from './modules/users/users.routes.ts';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.ts';

export type { App, AppDeps } from './platform/app-deps.ts';

/**
 * Builds the HTTP app: platform plugins first (docs, problems, request ids, access, maintenance, idempotency),
 * then every module's routes. It never listens; server.ts does, and tests use app.inject().
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: loggerOptions(deps.config) }),
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: deps.config.limits.bodyBytes,
    trustProxy: deps.config.trustProxy,
    routerOptions: { maxParamLength: 200, querystringParser: parseQueryString },
    // What the router and Node's HTTP parser refuse is a problem like any other error (docs/api.md).
    frameworkErrors: onFrameworkError,
    clientErrorHandler: onClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // A JSON API: a body in any other type is 415 unsupported_media_type, not a string that fails validation later.
  app.removeContentTypeParser('text/plain');
  registerValidation(app);
  app.addSchema(Problem);
  await registerOpenApi(app, deps.config);

  registerProblemHandlers(app);
  registerObservability(app, deps.metrics);
  registerAccess(app, deps.tokens);
  registerMaintenanceGuard(app, deps.maintenance);
  registerIdempotency(app, deps);

  healthRoutes(app, deps);
  authRoutes(app, deps);
  tenancyRoutes(app, deps);
  usersRoutes(app, deps);
  auditRoutes(app, deps);
  platformRoutes(app, deps);
  catalogRoutes(app, deps);
  taxRoutes(app, deps);
  inventoryRoutes(app, deps);
  ordersRoutes(app, deps);
  receiptsRoutes(app, deps);
  reportsRoutes(app, deps);
  paymentsRoutes(app, deps);
  posRoutes(app, deps);
  offlineSigninRoutes(app, deps);
  webhooksRoutes(app, deps);
  hooksRoutes(app, deps);
  backupsRoutes(app, deps);
  monitoringRoutes(app, deps);
  telemetryRoutes(app, deps);
  opsJobsRoutes(app, deps);

  // The till and the back office, built by `npm start` (docs/web-apps.md).
  await registerWebApps(app, deps.webApps ?? defaultWebApps());

  return app;
}
