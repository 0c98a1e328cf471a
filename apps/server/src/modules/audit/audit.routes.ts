import type { App, AppDeps } from '../../app.ts';

export function auditRoutes(_app: App, _deps: AppDeps): void {
  // GET /v1/audit/events, GET /v1/audit/verify
}
