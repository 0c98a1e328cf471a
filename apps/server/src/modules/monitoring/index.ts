export { businessMetrics, type BusinessMetrics } from './business.metrics.ts';
export { BoundedLabels, OVERFLOW_LABEL } from './labels.ts';
