import type { App, AppDeps } from '../../app.ts';

/** The webhooks routes (being built). */
export function webhooksRoutes(_app: App, _deps: AppDeps): void {
  // routes land here
}
