import type { App, AppDeps } from '../../app.ts';

/** The tax routes (being built). */
export function taxRoutes(_app: App, _deps: AppDeps): void {
  // routes land here
}
