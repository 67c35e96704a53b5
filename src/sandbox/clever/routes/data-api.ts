/**
 * The Data API v3.0 subset an SSO access token reaches: `/me`, the token's
 * own user and its own district. Anything else is out of the token's scopes.
 * Other Data API paths, of any version, get a JSON 404 (error-handling.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { districtRecord, userRecord } from '../data-api-records.ts';
import { bearerGrant } from '../flow/bearer-grant.ts';
import { SandboxError } from '../sandbox-error.ts';

function outOfScope(): SandboxError {
  return new SandboxError(403, "Resource not in token's scopes");
}

export function dataApiRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/v3.0/me', async (request, reply) => {
    const grant = await bearerGrant(ctx, request, reply);
    return {
      type: 'user',
      data: { id: grant.userId, district: grant.districtId, type: 'user', authorized_by: 'district' },
      links: [
        { rel: 'self', uri: '/v3.0/me' },
        { rel: 'canonical', uri: `/v3.0/users/${grant.userId}` },
        { rel: 'district', uri: `/v3.0/districts/${grant.districtId}` },
      ],
    };
  });

  app.get('/v3.0/users/:id', async (request, reply) => {
    const grant = await bearerGrant(ctx, request, reply);
    const { id } = request.params as { id: string };
    if (id !== grant.userId) throw outOfScope();
    return { data: userRecord(ctx.directory.user(id)!), links: [{ rel: 'self', uri: `/v3.0/users/${id}` }] };
  });

  app.get('/v3.0/districts/:id', async (request, reply) => {
    const grant = await bearerGrant(ctx, request, reply);
    const { id } = request.params as { id: string };
    if (id !== grant.districtId) throw outOfScope();
    return { data: districtRecord(ctx.directory.district(id)!, ctx.issuer), links: [{ rel: 'self', uri: `/v3.0/districts/${id}` }] };
  });
}
