import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { SandboxError } from '../sandbox-error.ts';
import type { Grant } from '../state/grants.ts';

/**
 * The grant behind a request's `Authorization: Bearer` token (missing,
 * unknown or expired → 401), counted against the token's rate limit
 * (past it → an empty 429; either way the `X-RateLimit-*` headers are set).
 */
export async function bearerGrant(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply): Promise<Grant> {
  const header = request.headers.authorization;
  const match = /^Bearer +([^\s]+) *$/i.exec(header ?? '');
  if (!match) {
    throw new SandboxError(401, 'invalid_token', 'a Bearer access token is required', { 'www-authenticate': 'Bearer realm="Clever"' });
  }
  const token = match[1]!;
  const grant = ctx.grants.findAccessToken(token);
  if (!grant) {
    throw new SandboxError(401, 'invalid_token', 'the access token is invalid or expired', {
      'www-authenticate': 'Bearer realm="Clever", error="invalid_token"',
    });
  }
  await ctx.rateLimit(request, reply, token);
  return grant;
}
