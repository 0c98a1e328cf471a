import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems } from '../../platform/http/schemas.ts';
import { getMaintenance, setMaintenance, type SetMaintenanceDeps } from './maintenance.service.ts';
import { MaintenanceBody, MaintenanceSchema, PlatformStatusSchema } from './platform.schemas.ts';

const TAGS = ['platform'];
const SUPERADMIN = ['superadmin'] as const;

/** Platform operation: maintenance mode (superadmin) and the public platform status. */
export function platformRoutes(app: App, deps: AppDeps): void {
  const maintenance: SetMaintenanceDeps = { db: deps.db, maintenance: deps.maintenance };
  app.get(
    '/v1/platform/maintenance',
    {
      config: { access: SUPERADMIN },
      schema: {
        tags: TAGS,
        operationId: 'getMaintenance',
        summary: 'Maintenance mode as stored (superadmin)',
        response: { 200: MaintenanceSchema, ...problems(401, 403) },
      },
    },
    () => getMaintenance(deps.db),
  );

  app.put(
    '/v1/platform/maintenance',
    {
      // Exempt from the maintenance guard, or maintenance could never be switched off.
      config: { access: SUPERADMIN, maintenanceExempt: true },
      schema: {
        tags: TAGS,
        operationId: 'setMaintenance',
        summary: 'Switch maintenance mode on or off (superadmin)',
        description:
          'While on, every server refuses writes with 503 `maintenance` (Retry-After) and lets reads, sign-in and ' +
          'this switch through. This server applies the change at once, the others within 2 seconds. Audited.',
        body: MaintenanceBody,
        response: { 200: MaintenanceSchema, ...problems(400, 401, 403) },
      },
    },
    (request) => setMaintenance(maintenance, request.ctx, request.body, request.log),
  );

  app.get(
    '/v1/status',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        operationId: 'getPlatformStatus',
        summary: 'Platform status for clients, e.g. a maintenance banner at the till',
        description: 'What this server enforces now (its cached copy, refreshed every 2 seconds); no sign-in.',
        response: { 200: PlatformStatusSchema },
      },
    },
    () => {
      const { enabled, message } = deps.maintenance.current;
      return { maintenance: { enabled, message } };
    },
  );
}
