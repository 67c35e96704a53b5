/**
 * The dashboard records its changes through the one audit entry point
 * (src/audit/), shared with the management API and the command line.
 * Never put a secret in `changes`: `auditChanges` writes secret fields as
 * "set", "changed" or "removed".
 */
export { recordAudit, auditChanges, type AuditRecord, type AuditRecord as AuditEntry } from '../audit/record-audit.ts';
export type { AuditActor } from '../store/types.ts';
