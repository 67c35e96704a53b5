import type { FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { SandboxError } from '../sandbox-error.ts';
import type { Grant } from '../state/grants.ts';

/** The grant behind a request's `Authorization: Bearer` token; missing, unknown or expired → 401. */
export function bearerGrant(ctx: SandboxContext, request: FastifyRequest): Grant {
  const header = request.headers.authorization;
  const match = /^Bearer +([^\s]+) *$/i.exec(header ?? '');
  if (!match) {
    throw new SandboxError(401, 'invalid_token', 'a Bearer access token is required', { 'www-authenticate': 'Bearer realm="Clever"' });
  }
  const grant = ctx.grants.findAccessToken(match[1]!);
  if (!grant) {
    throw new SandboxError(401, 'invalid_token', 'the access token is invalid or expired', {
      'www-authenticate': 'Bearer realm="Clever", error="invalid_token"',
    });
  }
  return grant;
}
