import type { App, AppDeps } from '../../app.ts';

export function platformRoutes(_app: App, _deps: AppDeps): void {
  // maintenance mode
}
