/**
 * `POST /oauth/tokens`: exchanges a code for a 24-hour access token (and an
 * ID token for apps configured for OIDC). No refresh tokens exist.
 *
 * Checks, in order: a `grant_type` other than `authorization_code`
 * (`unsupported_grant_type`, whoever asks); the client (HTTP Basic, 401
 * whatever the body); the body and its parameters; the code.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { authenticateClient } from '../flow/authenticate-client.ts';
import { parseTokenBody } from '../flow/parse-token-body.ts';
import { idTokenClaims } from '../flow/user-claims.ts';
import { readParams } from '../request-params.ts';
import { SandboxError } from '../sandbox-error.ts';

const idTokenLifetimeSeconds = 60 * 60;

/**
 * Refuses a readable `grant_type` other than `authorization_code` before
 * anything else is looked at. A body that cannot be read, or a missing or
 * repeated `grant_type`, is left to the later checks.
 */
function refuseOtherGrantTypes(contentType: string | undefined, body: unknown): void {
  let grantType: unknown;
  try {
    grantType = parseTokenBody(contentType, body).grant_type;
  } catch {
    return;
  }
  if (typeof grantType === 'string' && grantType !== '' && grantType !== 'authorization_code') {
    throw new SandboxError(400, 'unsupported_grant_type');
  }
}

export async function tokensRoute(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  // Own body parsing in its own scope: every body arrives as raw bytes (up to
  // the server's body limit), so the checks above run in their own order
  // rather than Fastify's (which would judge the content type first).
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post('/oauth/tokens', async (request, reply) => {
      const contentType = request.headers['content-type'];
      refuseOtherGrantTypes(contentType, request.body);
      const client = authenticateClient(ctx, request.headers.authorization);
      const body = parseTokenBody(contentType, request.body);
      const params = readParams(body, ['grant_type', 'code', 'redirect_uri']);
      if (params.grant_type !== 'authorization_code') throw new SandboxError(400, 'unsupported_grant_type');
      // Spent even when the request turns out wrong: a code gets exactly one try.
      const code = ctx.grants.redeemCode(params.code);
      if (!code || code.grant.clientId !== client.client_id || code.redirectUri !== params.redirect_uri) {
        throw new SandboxError(400, 'invalid_grant');
      }
      const { grant } = code;
      const accessToken = ctx.grants.issueAccessToken(grant);
      let idToken: string | undefined;
      if (client.oidc) {
        const iat = Math.floor(ctx.now() / 1000);
        idToken = await ctx.keys.sign({
          iss: ctx.issuer,
          aud: client.client_id,
          iat,
          exp: iat + idTokenLifetimeSeconds,
          ...idTokenClaims(ctx, grant),
          ...(code.nonce !== undefined ? { nonce: code.nonce } : {}),
        });
      }
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return { access_token: accessToken, token_type: 'bearer', ...(idToken ? { id_token: idToken } : {}) };
    });
  });
}
