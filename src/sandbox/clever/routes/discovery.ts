import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { claimsSupported } from '../flow/user-claims.ts';

/** `GET /.well-known/openid-configuration`: the OpenID Connect discovery document, with the sandbox as issuer. */
export function discoveryRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/.well-known/openid-configuration', async () => ({
    issuer: ctx.issuer,
    authorization_endpoint: `${ctx.issuer}/oauth/authorize`,
    token_endpoint: `${ctx.issuer}/oauth/tokens`,
    userinfo_endpoint: `${ctx.issuer}/userinfo`,
    jwks_uri: `${ctx.issuer}/oauth/certs`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    grant_types_supported: ['authorization_code'],
    claims_supported: claimsSupported(ctx.claims),
  }));
}
