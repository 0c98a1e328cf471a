import type { App, AppDeps } from '../../app.ts';

/** The inventory routes (being built). */
export function inventoryRoutes(_app: App, _deps: AppDeps): void {
  // routes land here
}
