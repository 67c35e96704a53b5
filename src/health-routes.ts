/**
 * Probes for orchestrators and load balancers, on the public port:
 *
 * - `GET /health`: the process is alive and serving (liveness). Never touches
 *   the database, so an outage there does not get healthy instances killed.
 * - `GET /ready`: this instance can serve sign-ins: the database answers and
 *   its schema is current (readiness). 503 `database_unavailable` otherwise,
 *   and while the instance shuts down, so the balancer stops sending to it.
 *
 * Both answer only a status: nothing about the deployment leaks.
 */
import type { FastifyInstance } from 'fastify';
import type { HallpassContext } from './context.ts';
import { apiErrorBody, HallpassError, toHallpassError } from './errors.ts';

export function registerHealthRoutes(app: FastifyInstance, ctx: HallpassContext, isClosing: () => boolean): void {
  app.get('/health', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/ready', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      if (isClosing()) throw new HallpassError('database_unavailable', 'This instance is shutting down.');
      const pending = await ctx.store.pendingMigrations();
      if (pending.length > 0) {
        throw new HallpassError('database_unavailable', `The database schema is behind this version of Hallpass (pending: ${pending.join(', ')}).`);
      }
      return reply.send({ status: 'ready' });
    } catch (err) {
      const error = toHallpassError(err);
      request.log.warn({ err: error.detail ?? error.message }, 'not ready');
      const unavailable = error.code === 'database_unavailable' ? error : new HallpassError('database_unavailable', error.message, { cause: err });
      return reply.status(503).header('retry-after', '5').send(apiErrorBody(unavailable));
    }
  });
}
