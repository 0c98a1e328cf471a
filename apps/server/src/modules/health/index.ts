export type { HealthCheck, HealthReport, HealthStatus } from './health.checks.ts';
export { toReport } from './health.checks.ts';
export { HealthReportSchema } from './health.schemas.ts';
