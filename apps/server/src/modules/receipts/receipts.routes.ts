import type { App, AppDeps } from '../../app.ts';

/** GET /v1/orders/:id/receipt (being built). */
export function receiptsRoutes(_app: App, _deps: AppDeps): void {
  // routes land here
}
