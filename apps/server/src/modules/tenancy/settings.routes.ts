import { ALL_ROLES, type Role } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems } from '../../platform/http/schemas.ts';
import * as settings from './settings.service.ts';
import { TenantSettingsSchema, UpdateTenantSettingsBody } from './settings.schemas.ts';

const TAGS = ['settings'];
/** Every tenant role reads (the till needs the rounding and tax mode); owners and admins change them. */
const READERS: readonly Role[] = ALL_ROLES.filter((r) => r !== 'superadmin');
const WRITERS: readonly Role[] = ['owner', 'admin'];

/** /v1/settings/tenant: how the tenant's money is rounded and taxed and how its stock is policed. */
export function settingsRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/v1/settings/tenant',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        operationId: 'getTenantSettings',
        summary: "The tenant's money and stock settings",
        response: { 200: TenantSettingsSchema, ...problems(401, 403, 404) },
      },
    },
    (request) => settings.getTenantSettings(deps.db, request.ctx, deps.config.moneyRounding),
  );

  app.patch(
    '/v1/settings/tenant',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'updateTenantSettings',
        summary: "Change the tenant's money and stock settings (audited)",
        body: UpdateTenantSettingsBody,
        response: { 200: TenantSettingsSchema, ...problems(400, 401, 403, 404, 413, 415) },
      },
    },
    (request) => settings.updateTenantSettings(deps.db, request.ctx, request.body, deps.config.moneyRounding),
  );
}
