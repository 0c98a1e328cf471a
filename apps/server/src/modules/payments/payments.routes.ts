import type { App, AppDeps } from '../../app.ts';

/** The payments routes (being built). */
export function paymentsRoutes(_app: App, _deps: AppDeps): void {
  // routes land here
}
