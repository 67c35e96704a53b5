/**
 * The login area: the app-facing SSO endpoints and the IdP callbacks.
 * Errors here answer in OAuth's format (token endpoint), as JSON (profile)
 * or as a friendly page (browser steps); each handler owns its format.
 */
import type { FastifyInstance } from 'fastify';
import type { AreaOptions } from '../context.ts';
import { UpstreamClients } from '../connections/upstream-client.ts';
import { oauthErrorBody, toHallpassError } from '../errors.ts';
import { authorizeHandler } from './authorize.ts';
import { callbackHandler } from './callback.ts';
import { sendErrorPage } from './error-page.ts';
import { profileHandler } from './profile.ts';
import { tokenHandler } from './token.ts';

export default async function ssoRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const clients = new UpstreamClients({
    secrets: ctx.secrets,
    timeoutMs: ctx.config.upstreamTimeoutMs,
    allowInsecure: ctx.config.env !== 'production',
    now: ctx.now,
  });

  app.setErrorHandler((err, request, reply) => {
    const error = toHallpassError(err);
    if (error.status >= 500) request.log.error({ err }, 'login request failed');
    if (request.url.startsWith('/sso/token')) {
      // OAuth errors are 400 (RFC 6749 §5.2); a body too large or of the wrong type keeps its HTTP status.
      const status = error.status >= 500 ? 500 : error.status === 413 || error.status === 415 ? error.status : 400;
      return reply.status(status).send(oauthErrorBody(error));
    }
    return sendErrorPage(reply, error);
  });

  app.get('/sso/authorize', authorizeHandler(ctx, clients));
  app.get('/sso/clever/callback', callbackHandler(ctx, clients, 'clever'));
  app.get('/sso/oidc/callback/:connectionId', callbackHandler(ctx, clients, 'oidc'));
  app.post('/sso/token', tokenHandler(ctx));
  app.get('/sso/profile', profileHandler(ctx));
}
