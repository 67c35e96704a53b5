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
import setupArea from './setup/routes.tsx';
import { registerRateLimits } from './rate-limits.ts';
import { startSweeping } from './sweep-expired.ts';
import { registerHealthRoutes } from './health-routes.ts';
import { runInRequestScope } from './log.ts';
import { trackRoutes } from './method-not-allowed.ts';
import { enableMetrics, metricsEnabled, observeLoginStep, type LoginStepRoute } from './metrics.ts';
import { securityHeaders } from './security-headers.ts';

/** Largest request body the broker accepts; API objects are small. */
const BODY_LIMIT = 64 * 1024;

/** Routes that are a step of a login, for the latency metric. */
const LOGIN_STEPS: Record<string, LoginStepRoute> = {
  '/sso/authorize': 'authorize',
  '/sso/clever/callback': 'callback',
  '/sso/clever/callback/:cleverApp': 'callback',
  '/sso/oidc/callback/:connectionId': 'callback',
  '/sso/token': 'token',
};

/** Per app: flips /ready to 503 when a graceful shutdown begins (before the app itself closes). */
const shutdownSwitches = new WeakMap<FastifyInstance, () => void>();

/** From now on `/ready` answers 503, so load balancers stop sending new logins here. */
export function markShuttingDown(app: FastifyInstance): void {
  shutdownSwitches.get(app)?.();
}

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
  const { config } = ctx;
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // Path parameters are IDs; anything longer is not one of ours.
    routerOptions: { maxParamLength: 512 },
    // Errors Fastify raises before any route runs (a path parameter too long, a malformed URL)
    // answer in the API's format like every other error.
    frameworkErrors: answerFrameworkError,
    // X-Forwarded-For (and -Proto, -Host) only from the proxies the deployment names:
    // from anyone else, a client could choose the address its rate limits count.
    trustProxy: ctx.config.trustedProxies.length > 0 ? [...ctx.config.trustedProxies] : false,
    // Slow or silent clients cannot hold sockets: headers, then the whole request (body
    // included), must arrive in time. Node checks these every `connectionsCheckingInterval`
    // (30 s by default, far coarser than the timeouts), so check at a quarter of the shorter one.
    http: {
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.headersTimeoutMs / 4))),
    },
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // During a graceful shutdown, requests already on an open connection are served, not
    // refused: a load balancer may have sent them before it saw this instance go.
    return503OnClosing: false,
  });
  let closing = false;
  shutdownSwitches.set(app, () => (closing = true));
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Every log line written while serving a request carries its ID (see log.ts).
  app.addHook('onRequest', (request, _reply, done) => runInRequestScope(String(request.id), done));
  app.addHook('onSend', securityHeaders(config.publicUrl));
  if (config.metricsPort !== undefined) enableMetrics();
  if (metricsEnabled()) {
    app.addHook('onResponse', (request, reply, done) => {
      const step = LOGIN_STEPS[request.routeOptions.url ?? ''];
      if (step) observeLoginStep(step, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }
  const answerNoRoute = trackRoutes(app);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  await app.register(cookie);
  await registerRateLimits(app);

  // Areas set their own error format (OAuth, API JSON, HTML); this is the last resort.
  app.setErrorHandler((err, request, reply) => {
    const error = toHallpassError(err);
    if (error.status >= 500) request.log.error({ err }, 'unhandled error');
    return reply.status(error.status).send(apiErrorBody(error));
  });
  app.setNotFoundHandler(answerNoRoute);

  const stopSweeping = startSweeping(ctx);
  app.addHook('onClose', async () => stopSweeping());

  registerHealthRoutes(app, ctx, () => closing);
  app.get('/', rootRedirect);
  await app.register(staticAssets);
  await app.register(managementApi, { ctx });
  await app.register(ssoRoutes, { ctx });
  await app.register(dashboardArea, { ctx });
  await app.register(setupArea, { ctx });
  return app;
}
