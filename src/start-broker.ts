/**
 * Opens everything a broker process needs — configuration, secret key,
 * storage — and, for `serve` and `dev`, listens. Commands that only touch
 * the database (`api-keys`, `redirect-uris`) use `openBroker` alone.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config/index.ts';
import type { HallpassContext } from './context.ts';
import { createLogger } from './log.ts';
import { createSecretBox, resolveSecretKey } from './secrets.ts';
import { build } from './server.ts';
import { openStore } from './store/index.ts';

/** Configuration, secret key and storage, ready for use; close the store when done. */
export async function openBroker(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Promise<HallpassContext> {
  const config = Object.freeze({ ...loadConfig(env), ...overrides });
  const logger = createLogger(config.logLevel);
  const secretKey = await resolveSecretKey(config);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  return { config, store, secrets: createSecretBox(secretKey), logger, now: Date.now };
}

/** Builds the app on a context and listens on the configured host and port. */
export async function listenBroker(ctx: HallpassContext): Promise<FastifyInstance> {
  const app = await build(ctx);
  await app.listen({ port: ctx.config.port, host: ctx.config.host });
  return app;
}

/** Closes the app and the store on SIGINT/SIGTERM, letting requests in flight finish. */
export function closeOnSignals(closers: Array<() => Promise<unknown>>): void {
  const stop = () => {
    void Promise.allSettled(closers.map((close) => close())).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
