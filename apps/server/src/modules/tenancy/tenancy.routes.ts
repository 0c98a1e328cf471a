import type { App, AppDeps } from '../../platform/app-deps.ts';
import { locationsRoutes } from './locations.routes.ts';
import { registersRoutes } from './registers.routes.ts';
import { settingsRoutes } from './settings.routes.ts';

/** /v1/locations, /v1/registers and /v1/settings/tenant. */
export function tenancyRoutes(app: App, deps: AppDeps): void {
  locationsRoutes(app, deps);
  registersRoutes(app, deps);
  settingsRoutes(app, deps);
}
