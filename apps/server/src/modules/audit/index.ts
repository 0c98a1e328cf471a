export { recordAudit, chainKeyOf, type AuditEntry } from './audit.record.ts';
export { auditRoutes } from './audit.routes.ts';
