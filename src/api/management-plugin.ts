/**
 * The management API: WorkOS-compatible `/organizations` and `/connections`,
 * and `/api_keys`, `/redirect_uris` and `/settings`, behind Bearer API-key
 * authentication, as an encapsulated Fastify plugin.
 * Its hook and error handler apply to these routes only.
 */
import type { FastifyInstance } from 'fastify';
import type { AreaOptions } from '../context.ts';
import { apiErrorBody, toHallpassError } from '../errors.ts';
import { createLimit } from '../rate-limits.ts';
import { authenticateApiKey } from './authenticate-api-key.ts';
import apiKeyRoutes from './api-key-routes.ts';
import connectionRoutes from './connection-routes.ts';
import organizationRoutes from './organization-routes.ts';
import redirectUriRoutes from './redirect-uri-routes.ts';
import settingsRoutes from './settings-routes.ts';
import setupLinkRoutes from './setup-link-routes.ts';

export default async function managementApi(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  // Every failure, Fastify's own (bad JSON, wrong content type) included, becomes `{ code, message, … }`.
  app.setErrorHandler(function sendApiError(err, request, reply) {
    const error = toHallpassError(err);
    if (error.status >= 500) request.log.error({ err }, 'management API request failed');
    return reply.status(error.status).send(apiErrorBody(error));
  });
  acceptJsonOnly(app);
  app.decorateRequest('auditActor', null);
  app.decorateRequest('auditBefore', undefined);
  const { rateLimits } = ctx.config;
  const failedAuthentications = createLimit(app, { max: rateLimits.apiAuthFailuresPerAddress, windowMs: rateLimits.windowMs });
  app.addHook('onRequest', authenticateApiKey(ctx.store, failedAuthentications));
  await app.register(organizationRoutes, { ctx });
  await app.register(connectionRoutes, { ctx });
  await app.register(apiKeyRoutes, { ctx });
  await app.register(redirectUriRoutes, { ctx });
  await app.register(settingsRoutes, { ctx });
  await app.register(setupLinkRoutes, { ctx });
}

/**
 * The management API reads JSON only (other bodies get 415). The WorkOS SDK
 * labels every request `application/json`, bodiless DELETEs included, which
 * Fastify's own parser refuses as an empty JSON body; here an empty body is
 * simply no body. Anything else goes to Fastify's parser, with its
 * prototype-poisoning checks.
 */
function acceptJsonOnly(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, function parseJsonOrNothing(request, body, done) {
    const text = body.toString();
    if (text === '') return done(null, undefined);
    return parseJson(request, text, done);
  });
}
