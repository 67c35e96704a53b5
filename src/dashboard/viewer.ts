import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from '../pages/layout.tsx';
import { signedInAdmin } from './session.ts';

/** The signed-in admin as the layout shows them, with a CSRF token for this page's forms. */
export function viewerOf(request: FastifyRequest, reply: FastifyReply): Viewer {
  return { email: signedInAdmin(request).email, csrf: reply.generateCsrf() };
}
