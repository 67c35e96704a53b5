/**
 * The audit log's one entry point: every change made through the dashboard,
 * the management API or a setup link is recorded here, with who made it.
 *
 * Secrets never reach the log: {@link auditChanges} reports a secret field
 * only as "set", "changed" or "removed", and callers pass API keys, passwords
 * and client secrets through it or not at all.
 */
import type { HallpassContext } from '../context.ts';
import type { AuditActor, AuditChanges } from '../store/types.ts';

export interface AuditRecord {
  actor: AuditActor;
  /** `<target type>.<verb>`, e.g. `connection.updated`. */
  action: string;
  targetType: string;
  targetId: string | null;
  changes?: AuditChanges;
}

/**
 * Records one change. Never throws: the change it describes has already been
 * made, so a failed write is logged (as an error, for the operator) instead.
 */
export async function recordAudit(ctx: Pick<HallpassContext, 'store' | 'logger'>, record: AuditRecord): Promise<void> {
  try {
    await ctx.store.auditLog.record({ ...record, changes: record.changes ?? {} });
  } catch (err) {
    ctx.logger.error({ err, action: record.action, targetId: record.targetId }, 'could not record an audit log entry');
  }
}

/** What a secret field's change is logged as; its value never is. */
export type SecretChange = 'set' | 'changed' | 'removed';

/**
 * The fields that differ between two plain JSON snapshots of a record (`null`
 * for "did not exist"), as `{ field: { from, to } }`. Fields named in
 * `secrets` are compared by presence only and written as "set" / "changed" /
 * "removed". Bookkeeping and derived fields are left out, at any depth, and so are
 * the empty fields of a record created or deleted.
 */
export function auditChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  secrets: Record<string, SecretChange | undefined> = {},
): AuditChanges {
  const changes: AuditChanges = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (IGNORED.has(key)) continue;
    const from = withoutBookkeeping(before?.[key]);
    const to = withoutBookkeeping(after?.[key]);
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    // A record created or deleted is described by the values it has, not by its empty fields.
    if ((before === null && isEmpty(to)) || (after === null && isEmpty(from))) continue;
    changes[key] = { ...(before ? { from: from ?? null } : {}), ...(after ? { to: to ?? null } : {}) };
  }
  for (const [key, change] of Object.entries(secrets)) {
    if (change !== undefined) changes[key] = { to: change };
  }
  return changes;
}

/**
 * Bookkeeping and values derived from others: the ID (the entry's target), timestamps,
 * a connection's Redirect URI and missing settings, an API key's masked value and last use.
 */
const IGNORED = new Set(['object', 'id', 'created_at', 'updated_at', 'redirect_uri', 'missing_settings', 'obfuscated_value', 'last_used_at']);

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
}

/** A value without the bookkeeping fields of nested records (an organization's domains carry their own `updated_at`). */
function withoutBookkeeping(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutBookkeeping);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !IGNORED.has(key)).map(([key, item]) => [key, withoutBookkeeping(item)]));
}
