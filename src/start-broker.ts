/**
 * Opens everything a broker process needs — configuration, secret key,
 * storage — and, for `serve` and `dev`, listens. Commands that only touch
 * the database (`api-keys`, `redirect-uris`) use `openBroker` alone.
 */
import type { IncomingMessage, Server } from 'node:http';
import net, { type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config/index.ts';
import type { HallpassContext } from './context.ts';
import { createLogger } from './log.ts';
import { createSecretBox, resolveSecretKey } from './secrets.ts';
import { HallpassError } from './errors.ts';
import { listenMetrics } from './metrics.ts';
import { build, markShuttingDown } from './server.ts';
import { openStore } from './store/index.ts';

/** Configuration, secret key and storage, ready for use; close the store when done. */
export async function openBroker(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Promise<HallpassContext> {
  const config = Object.freeze({ ...loadConfig(env), ...overrides });
  const logger = createLogger(config.logLevel);
  const secretKey = await resolveSecretKey(config);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  return { config, store, secrets: createSecretBox(secretKey), logger, now: Date.now };
}

/** A broker listening on its port, and on its metrics port when one is configured. */
export interface ListeningBroker {
  app: FastifyInstance;
  /** The metrics listener's URL, when HALLPASS_METRICS_PORT is set. */
  metricsUrl: string | undefined;
  /** Graceful: stops accepting, lets requests in flight finish, then closes the app and the metrics listener. */
  close(): Promise<void>;
}

/** Builds the app on a context and listens on the configured host and port (and the metrics port, if any). */
export async function listenBroker(ctx: HallpassContext): Promise<ListeningBroker> {
  const app = await build(ctx);
  const unread = trackUnreadConnections(app.server);
  await listenNamingTheSetting(() => app.listen({ port: ctx.config.port, host: ctx.config.host }), 'HALLPASS_PORT', 'HALLPASS_HOST', ctx.config.host, ctx.config.port);
  let metrics: Awaited<ReturnType<typeof listenMetrics>> | undefined;
  if (ctx.config.metricsPort !== undefined) {
    const { metricsPort, metricsHost } = ctx.config;
    try {
      metrics = await listenNamingTheSetting(() => listenMetrics({ port: metricsPort, host: metricsHost }), 'HALLPASS_METRICS_PORT', 'HALLPASS_METRICS_HOST', metricsHost, metricsPort);
    } catch (err) {
      await app.close();
      throw err;
    }
  }
  return {
    app,
    metricsUrl: metrics?.url,
    async close() {
      markShuttingDown(app);
      // Still accepting while load balancers see /ready fail and take this instance out.
      if (ctx.config.shutdownDelayMs > 0) await sleep(ctx.config.shutdownDelayMs);
      // A connection accepted just before the listener closed sends its request within milliseconds.
      await drainConnections(app.server, unread, Math.min(ctx.config.headersTimeoutMs, 1000));
      await app.close();
      await metrics?.close();
    },
  };
}

/**
 * Connections accepted that have not delivered a request yet. Node's
 * `server.close()` counts them as idle and destroys them, which resets a
 * request already on its way: a load balancer sees ECONNRESET, which it
 * cannot safely retry, instead of a refused connection, which it can.
 */
function trackUnreadConnections(server: Server): Set<Socket> {
  const unread = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    unread.add(socket);
    socket.once('close', () => unread.delete(socket));
  });
  server.on('request', (request: IncomingMessage) => unread.delete(request.socket));
  return unread;
}

/**
 * Stops accepting (new connections are refused from here on), waits for the
 * connections already accepted to deliver their request (at most
 * `unreadWaitMs`), then closes
 * connections as they fall idle until every request in flight has been
 * answered.
 */
async function drainConnections(server: Server, unread: Set<Socket>, unreadWaitMs: number): Promise<void> {
  if (!server.listening) return;
  // net.Server's close, not http.Server's: that one would destroy the unread connections at once.
  const drained = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
  const unreadDeadline = Date.now() + unreadWaitMs;
  while (unread.size > 0 && Date.now() < unreadDeadline) await sleep(10);
  let done = false;
  void drained.then(() => (done = true));
  while (!done) {
    server.closeIdleConnections();
    await Promise.race([drained, sleep(50)]);
  }
}

/** Turns "address in use" and friends into a message that names the setting to change. */
export async function listenNamingTheSetting<T>(listen: () => Promise<T>, portSetting: string, hostSetting: string, host: string, port: number): Promise<T> {
  try {
    return await listen();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new HallpassError('config_invalid', `port ${port} on ${host} is already in use; choose another with ${portSetting}.`, { cause: err });
    if (code === 'EACCES') throw new HallpassError('config_invalid', `not allowed to listen on port ${port}; choose a port above 1023 with ${portSetting}.`, { cause: err });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new HallpassError('config_invalid', `cannot listen on ${host}: no such interface here; change ${hostSetting}.`, { cause: err });
    throw err;
  }
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: `drain` stops accepting and waits for
 * requests in flight (a load balancer's connections to this instance are
 * refused from now on, so it sends new logins to the others); then `release`
 * closes what the requests used (the database). If the requests are not done
 * within `graceMs`, the process exits anyway (code 1) rather than hang a
 * rolling deploy. A second signal exits at once.
 */
export function closeOnSignals(drain: Array<() => Promise<unknown>>, release: Array<() => Promise<unknown>>, graceMs: number, logger?: HallpassContext['logger']): void {
  // The grace period counts from the signal, so it includes HALLPASS_SHUTDOWN_DELAY_MS.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger?.info({ signal, graceMs }, 'shutting down: no new connections, finishing requests in flight');
    const deadline = setTimeout(() => {
      logger?.warn({ graceMs }, 'requests still in flight when the grace period ended; exiting anyway');
      process.exit(1);
    }, graceMs);
    deadline.unref();
    void Promise.allSettled(drain.map((close) => close()))
      .then(() => Promise.allSettled(release.map((close) => close())))
      .finally(() => {
        clearTimeout(deadline);
        logger?.info('shut down cleanly');
        process.exit(0);
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
