import type { App, AppDeps } from '../../app.ts';

/** The state of one dependency, in the shape of /health's `info` and `error` sections. */
export interface HealthStatus {
  readonly status: 'up' | 'down';
  readonly message?: string;
  readonly [detail: string]: unknown;
}

/** Checks one dependency; must answer within its own timeout. */
export type HealthCheck = () => Promise<HealthStatus>;

export function healthRoutes(_app: App, _deps: AppDeps): void {
  // filled by the health module
}
