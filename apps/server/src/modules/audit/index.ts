export { recordAudit, chainKeyOf, type AuditEntry } from './audit.record.ts';
