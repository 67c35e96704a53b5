/**
 * The login area: the app-facing SSO endpoints and the IdP callbacks.
 * Errors here answer in OAuth's format (token endpoint), as JSON (profile)
 * or as a friendly page (browser steps); each handler owns its format.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AreaOptions } from '../context.ts';
import { SHARED_CLEVER_CALLBACK_PATH } from '../connections/redirect-uri.ts';
import { upstreamClientsFor } from '../connections/upstream-client.ts';
import { apiErrorBody, oauthErrorBody, toHallpassError } from '../errors.ts';
import { createLimit, tooManyRequests, type Limit } from '../rate-limits.ts';
import { authorizeHandler } from './authorize.ts';
import { callbackHandler, type CallbackRequest } from './callback.ts';
import { sendErrorPage } from './error-page.tsx';
import { profileHandler } from './profile.ts';
import { tokenErrorStatus, tokenHandler } from './token.ts';
import { clientIdOf } from './params.ts';

export default async function ssoRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const clients = upstreamClientsFor(ctx);

  app.setErrorHandler((err, request, reply) => {
    const error = toHallpassError(err);
    if (error.status >= 500) request.log.error({ err }, 'login request failed');
    if (request.url.startsWith('/sso/token')) {
      return reply.status(tokenErrorStatus(error)).send(oauthErrorBody(error));
    }
    // The profile endpoint is an API for the app's back end: JSON, like its 401.
    if (request.url.startsWith('/sso/profile')) return reply.status(error.status).send(apiErrorBody(error));
    return sendErrorPage(reply, error);
  });

  const { rateLimits: limits } = ctx.config;
  const window = { windowMs: limits.windowMs };
  // The browser steps of a login share one count per address: authorize and the IdP callbacks.
  const onRequest = limitBrowserSteps(createLimit(app, { ...window, max: limits.loginPerAddress }));
  const authorizePerClient = createLimit(app, { ...window, max: limits.authorizePerClient, key: (request) => clientIdOf(request.query) });
  const token = {
    failuresPerAddress: createLimit(app, { ...window, max: limits.tokenFailuresPerAddress }),
    failuresPerClient: createLimit(app, { ...window, max: limits.tokenFailuresPerClient, key: (request) => clientIdOf(request.body) }),
  };

  app.get('/sso/authorize', { onRequest }, authorizeHandler(ctx, clients, authorizePerClient));
  app.get<CallbackRequest>(SHARED_CLEVER_CALLBACK_PATH, { onRequest }, callbackHandler(ctx, clients, 'clever'));
  app.get<CallbackRequest>(`${SHARED_CLEVER_CALLBACK_PATH}/:cleverApp`, { onRequest }, callbackHandler(ctx, clients, 'clever'));
  app.get<CallbackRequest>('/sso/oidc/callback/:connectionId', { onRequest }, callbackHandler(ctx, clients, 'oidc'));
  app.post('/sso/token', tokenHandler(ctx, token));
  app.get('/sso/profile', profileHandler(ctx));
}

/** An `onRequest` hook counting a browser step; past the limit, the friendly page says to wait (429, `Retry-After`). */
function limitBrowserSteps(limit: Limit) {
  return async function limitBrowserSteps(request: FastifyRequest, reply: FastifyReply) {
    const verdict = await limit.hit(request);
    if (verdict.limited) return sendErrorPage(reply.header('cache-control', 'no-store'), tooManyRequests(reply, verdict));
  };
}
