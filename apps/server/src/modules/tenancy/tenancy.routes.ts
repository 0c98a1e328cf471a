import type { App, AppDeps } from '../../platform/app-deps.ts';
import { locationsRoutes } from './locations.routes.ts';
import { registersRoutes } from './registers.routes.ts';

/** /v1/locations and /v1/registers. */
export function tenancyRoutes(app: App, deps: AppDeps): void {
  locationsRoutes(app, deps);
  registersRoutes(app, deps);
}
