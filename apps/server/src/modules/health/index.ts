export type { HealthCheck, HealthReport, HealthStatus } from './health.checks.ts';
