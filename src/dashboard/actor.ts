/** Who made a change, and what changed, as the audit log records it. */
import type { FastifyRequest } from 'fastify';
import type { AuditActor } from './audit.ts';
import { signedInAdmin } from './session.ts';

/** The signed-in admin as an audit actor. */
export function adminActor(request: FastifyRequest): AuditActor {
  const admin = signedInAdmin(request);
  return { type: 'admin', id: admin.id, name: admin.email };
}

/** Only the fields whose value changed (compared as JSON), with their old and new values. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}
