/**
 * Assembles the broker: `build()` returns a ready Fastify app without
 * listening, so tests can use real sockets or `inject()` alike; `listen()`
 * is the caller's business (see cli).
 */
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import type { HallpassContext } from './context.ts';
import { apiErrorBody, HallpassError, toHallpassError } from './errors.ts';
import managementApi from './api/management-plugin.ts';
import dashboardArea, { rootRedirect } from './dashboard/index.ts';
import { sendDashboardError, sendDashboardNotFound } from './dashboard/error-page.tsx';
import { DASHBOARD } from './dashboard/paths.ts';
import staticAssets from './pages/static-assets.ts';
import ssoRoutes from './sso/routes.ts';
import { startSweeping } from './sweep-expired.ts';

/** Largest request body the broker accepts; API objects are small. */
const BODY_LIMIT = 64 * 1024;

/** A path parameter longer than any of our IDs names nothing; any other router error is a bad URL. */
function answerFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // Dashboard addresses answer with a page, like everything else there.
  if (request.url.startsWith(`${DASHBOARD}/`)) {
    void (err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? sendDashboardNotFound(request, reply) : sendDashboardError(request, reply, err));
    return;
  }
  const error =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new HallpassError('entity_not_found', 'Nothing exists at this address.')
      : new HallpassError('invalid_request', 'The URL is malformed.');
  void reply.status(error.status).send(apiErrorBody(error));
}

export async function build(ctx: HallpassContext): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // Path parameters are IDs; anything longer is not one of ours.
    routerOptions: { maxParamLength: 512 },
    // Errors Fastify raises before any route runs (a path parameter too long, a malformed URL)
    // answer in the API's format like every other error.
    frameworkErrors: answerFrameworkError,
    trustProxy: true,
    return503OnClosing: true,
  });
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  await app.register(cookie);

  // Areas set their own error format (OAuth, API JSON, HTML); this is the last resort.
  app.setErrorHandler((err, request, reply) => {
    const error = toHallpassError(err);
    if (error.status >= 500) request.log.error({ err }, 'unhandled error');
    return reply.status(error.status).send(apiErrorBody(error));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ code: 'entity_not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` }),
  );

  const stopSweeping = startSweeping(ctx);
  app.addHook('onClose', async () => stopSweeping());

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/', rootRedirect);
  await app.register(staticAssets);
  await app.register(managementApi, { ctx });
  await app.register(ssoRoutes, { ctx });
  await app.register(dashboardArea, { ctx });
  return app;
}
