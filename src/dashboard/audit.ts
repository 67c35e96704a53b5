/** The dashboard records its changes through the one audit entry point (src/audit/). */
export { recordAudit, auditChanges, type AuditRecord } from '../audit/record-audit.ts';
