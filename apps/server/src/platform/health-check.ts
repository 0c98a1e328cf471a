/** What /health reports per dependency; the type lives here so that the app's dependencies (platform/app-deps.ts) need no module. */
/** The state of one dependency, in the shape of /health's `info` and `error` sections. */
export interface HealthStatus {
  readonly status: 'up' | 'down';
  readonly message?: string;
  readonly [detail: string]: unknown;
}

/** Checks one dependency; must answer within its own timeout. */
export type HealthCheck = () => Promise<HealthStatus>;
