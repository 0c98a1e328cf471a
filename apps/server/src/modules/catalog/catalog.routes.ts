import type { App, AppDeps } from '../../app.ts';

/** The catalog routes (being built). */
export function catalogRoutes(_app: App, _deps: AppDeps): void {
  // routes land here
}
