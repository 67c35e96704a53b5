import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from '../context.ts';
import { apiErrorBody, HallpassError } from '../errors.ts';
import { hashSecret } from '../secrets.ts';

/** GET /sso/profile — the profile behind an access token from /sso/token. */
export function profileHandler(ctx: HallpassContext) {
  return async function profile(request: FastifyRequest, reply: FastifyReply) {
    reply.header('cache-control', 'no-store');
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/.exec(request.headers.authorization ?? '');
    const token = match ? await ctx.store.accessTokens.find(hashSecret(match[1]!), new Date(ctx.now())) : undefined;
    if (!token) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer error="invalid_token"')
        .send(apiErrorBody(new HallpassError('unauthorized', 'The access token is missing, invalid or expired.')));
    }
    return token.profile;
  };
}
