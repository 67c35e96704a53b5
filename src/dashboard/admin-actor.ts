import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../store/types.ts';
import { signedInAdmin } from './session.ts';

/** The signed-in admin as the audit log names them. */
export function adminActor(request: FastifyRequest): AuditActor {
  const admin = signedInAdmin(request);
  return { type: 'admin', id: admin.id, name: admin.email };
}
