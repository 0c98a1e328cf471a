export type { HealthCheck, HealthReport, HealthStatus } from './health.checks.ts';
export { healthRoutes } from './health.routes.ts';
