import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { bearerGrant } from '../flow/bearer-grant.ts';
import { userClaims } from '../flow/user-claims.ts';

/**
 * `GET|POST /userinfo`: the ID token's user claims plus Clever's non-standard
 * `name` object (`{first, middle, last}`) where OIDC has a string.
 */
export function userinfoRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/userinfo',
    handler: async (request, reply) => {
      const grant = bearerGrant(ctx, request);
      const { name } = ctx.directory.user(grant.userId)!;
      reply.header('cache-control', 'no-store');
      return { ...userClaims(ctx, grant), name: { first: name.first, ...(name.middle ? { middle: name.middle } : {}), last: name.last } };
    },
  });
}
