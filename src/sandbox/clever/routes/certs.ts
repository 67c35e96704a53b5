import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';

/** `GET /oauth/certs`: the JWKS, newest signing key first, older ones kept after a rotation. */
export function certsRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/oauth/certs', async () => ctx.keys.jwks());
}
