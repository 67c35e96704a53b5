/**
 * `POST /oauth/tokens`: exchanges a code for a 24-hour access token (and an
 * ID token for apps configured for OIDC). No refresh tokens exist.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { authenticateClient } from '../flow/authenticate-client.ts';
import { parseTokenBody } from '../flow/parse-token-body.ts';
import { userClaims } from '../flow/user-claims.ts';
import { readParams } from '../request-params.ts';
import { SandboxError } from '../sandbox-error.ts';

const idTokenLifetimeSeconds = 60 * 60;

export async function tokensRoute(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  // Own body parsing in its own scope: every body arrives as raw bytes (up to
  // the server's body limit), so client authentication is checked before the
  // content type and the body are: a bad client gets its 401 whatever it sent.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post('/oauth/tokens', async (request, reply) => {
      const client = authenticateClient(ctx, request.headers.authorization);
      const body = parseTokenBody(request.headers['content-type'], request.body);
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
          ...userClaims(ctx, grant),
          ...(code.nonce !== undefined ? { nonce: code.nonce } : {}),
        });
      }
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return { access_token: accessToken, token_type: 'bearer', ...(idToken ? { id_token: idToken } : {}) };
    });
  });
}
