import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { bearerGrant } from '../flow/bearer-grant.ts';
import { userinfoClaims } from '../flow/user-claims.ts';

/**
 * `GET|POST /userinfo`: the signed-in role's claims in the sandbox's claim
 * shape, with Clever's non-standard `name` object (`{first, middle, last}`)
 * where OpenID has a string. Rate-limited like the Data API.
 */
export function userinfoRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/userinfo',
    handler: async (request, reply) => {
      const grant = await bearerGrant(ctx, request, reply);
      reply.header('cache-control', 'no-store');
      return userinfoClaims(ctx, grant);
    },
  });
}
