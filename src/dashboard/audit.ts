/**
 * The audit log's one entry point: every change made through the dashboard
 * or the management API, and every refused sign-in, is recorded through
 * `recordAudit`. (The store and the Audit log page are built separately;
 * until then this records nothing.)
 *
 * Never put a secret in `changes`: write `{ to: '(set)' }` for a secret that changed.
 */
import type { HallpassContext } from '../context.ts';

export interface AuditActor {
  type: 'admin' | 'api_key' | 'setup_link' | 'system';
  /** The admin's, API key's or setup link's ID; null when there is none (e.g. a sign-in by an unknown email). */
  id: string | null;
  /** What a person reads: the admin's email, the API key's name, … */
  name: string;
}

export interface AuditEntry {
  actor: AuditActor;
  /** `<object>.<verb>`, e.g. `organization.created`, `admin.sign_in_failed`. */
  action: string;
  /** `organization`, `connection`, `admin`, … */
  targetType: string;
  targetId: string | null;
  /** Field name → its value before and after (never a secret's value). */
  changes?: Record<string, { from?: unknown; to?: unknown }>;
}

/** Records one entry. Resolves once it is stored; callers await it after their change succeeded. */
export async function recordAudit(_ctx: HallpassContext, _entry: AuditEntry): Promise<void> {
  // Intentionally empty until the audit store exists.
}
