/**
 * The management API: WorkOS-compatible `/organizations` and `/connections`
 * behind Bearer API-key authentication, as an encapsulated Fastify plugin.
 * Its hook and error handler apply to these routes only.
 */
import type { FastifyInstance } from 'fastify';
import type { AreaOptions } from '../context.ts';
import { apiErrorBody, toHallpassError } from '../errors.ts';
import { authenticateApiKey } from './authenticate-api-key.ts';
import connectionRoutes from './connection-routes.ts';
import organizationRoutes from './organization-routes.ts';

export default async function managementApi(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  // Every failure, Fastify's own (bad JSON, wrong content type) included, becomes `{ code, message, … }`.
  app.setErrorHandler(function sendApiError(err, request, reply) {
    const error = toHallpassError(err);
    if (error.status >= 500) request.log.error({ err }, 'management API request failed');
    return reply.status(error.status).send(apiErrorBody(error));
  });
  app.addHook('onRequest', authenticateApiKey(ctx.store));
  await app.register(organizationRoutes, { ctx });
  await app.register(connectionRoutes, { ctx });
}
