export { businessMetrics, type BusinessMetrics } from './business.metrics.ts';
export { BoundedLabels, OVERFLOW_LABEL } from './labels.ts';
export { registerStuckOrderGauges, runWatchdog, watchdogSchedules } from './watchdog.ts';
export { STUCK_KINDS, type StuckItem, type StuckKind } from './watchdog.repo.ts';
