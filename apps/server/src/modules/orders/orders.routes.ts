import type { App, AppDeps } from '../../app.ts';

/** /v1/orders (being built). */
export function ordersRoutes(_app: App, _deps: AppDeps): void {
  // routes land here
}
