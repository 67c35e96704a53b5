/**
 * Starts a real Hallpass broker on a random port for a test, with a fresh
 * database, an API key and an allowed redirect URI.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/log.ts';
import { createSecretBox } from '../../src/secrets.ts';
import { createApiKey } from '../../src/commands/api-keys.ts';
import { build } from '../../src/server.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';
import type { HallpassContext } from '../../src/context.ts';

export interface RunningHallpass {
  url: string;
  app: FastifyInstance;
  ctx: HallpassContext;
  store: Store;
  /** The application's client ID. */
  clientId: string;
  /** A fresh API key (`sk_…`). */
  apiKey: string;
  close(): Promise<void>;
}

export interface StartHallpassOptions {
  /** Use an existing database (e.g. from test/support/databases.ts); default: a fresh SQLite file. */
  databaseUrl?: string;
  /** Redirect URIs to allow; the first becomes the default. */
  redirectUris?: string[];
  now?: () => number;
  env?: Record<string, string>;
}

export async function startHallpass(options: StartHallpassOptions = {}): Promise<RunningHallpass> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hallpass-test-'));
  // Port 0: the OS picks one; the public URL is fixed up after listen.
  const config0 = loadConfig({
    HALLPASS_PORT: '0',
    HALLPASS_DATA_DIR: dataDir,
    HALLPASS_SECRET_KEY: 'test-secret-key-test-secret-key-test-secret-key',
    HALLPASS_LOG_LEVEL: process.env.HALLPASS_TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  });
  const logger = createLogger(config0.logLevel);
  const store = await openStore({ databaseUrl: config0.databaseUrl, dataDir, logger });
  // The public URL must be known before listening (it forms redirect URIs), so reserve a port first.
  const port = await freePort();
  const config = Object.freeze({ ...config0, port, publicUrl: `http://127.0.0.1:${port}` });
  const ctx: HallpassContext = {
    config,
    store,
    secrets: createSecretBox(config.secretKey!),
    logger,
    now: options.now ?? Date.now,
  };
  const app = await build(ctx);
  await app.listen({ port, host: '127.0.0.1' });

  const settings = await store.settings.get();
  const { key: apiKey } = await createApiKey(store, 'test');
  for (const [i, uri] of (options.redirectUris ?? ['http://127.0.0.1:1/callback']).entries()) {
    await store.redirectUris.add(uri, i === 0);
  }

  return {
    url: config.publicUrl,
    app,
    ctx,
    store,
    clientId: settings.clientId,
    apiKey,
    async close() {
      await app.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
