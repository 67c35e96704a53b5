/**
 * An `Idempotency-Key` held by a request whose process is killed (`kill -9`)
 * must not stay stuck: a retry on another instance is told the key is in use
 * only until the dead request's lease passes, then runs the request itself,
 * exactly once. Two real broker processes on one database (SQLite file or
 * PostgreSQL), as in a deployment.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApiKey } from '../../src/commands/api-keys.ts';
import { openStore } from '../../src/store/index.ts';
import { forEachDatabase, type EmptyTestDatabase } from '../support/databases.ts';
import { request } from './api-kit.ts';

const LEASE_MS = 4000;
const SECRET_KEY = 'crash-test-secret-key-crash-test-secret-key';

interface BrokerProcess {
  url: string;
  child: ChildProcess;
}

/** `hallpass serve` in its own process, on a free port. */
async function startBrokerProcess(database: EmptyTestDatabase): Promise<BrokerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: {
      ...process.env,
      HALLPASS_PORT: String(port),
      HALLPASS_HOST: '127.0.0.1',
      HALLPASS_DATA_DIR: database.dataDir,
      DATABASE_URL: database.databaseUrl,
      HALLPASS_SECRET_KEY: SECRET_KEY,
      HALLPASS_LOG_LEVEL: 'silent',
      HALLPASS_IDEMPOTENCY_LEASE_MS: String(LEASE_MS),
      // Longer than the test: the hanging discovery endpoint keeps the first request in flight until it is killed.
      HALLPASS_UPSTREAM_TIMEOUT_MS: '60000',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8');
  for await (const chunk of child.stdout!) {
    output += chunk;
    if (output.includes('Hallpass listening')) return { url: `http://127.0.0.1:${port}`, child };
  }
  throw new Error(`the broker did not start: ${output}`);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

forEachDatabase('Idempotency-Key after kill -9', (database) => {
  let db: EmptyTestDatabase;
  let apiKey: string;
  let discovery: Server;
  let discoveryUrl: string;
  let hang = true;
  let discoveryHits = 0;
  const brokers: BrokerProcess[] = [];

  before(async () => {
    db = await database.create();
    const store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    apiKey = (await createApiKey(store, 'crash test')).key;
    await store.close();
    discovery = createServer((_req, res) => {
      discoveryHits += 1;
      if (hang) return; // the first request waits here until its process dies
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        issuer: discoveryUrl,
        authorization_endpoint: `${discoveryUrl}/authorize`,
        token_endpoint: `${discoveryUrl}/token`,
        jwks_uri: `${discoveryUrl}/jwks`,
      }));
    });
    discovery.listen(0, '127.0.0.1');
    await once(discovery, 'listening');
    discoveryUrl = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const broker of brokers) broker.child.kill('SIGKILL');
    discovery.closeAllConnections();
    discovery.close();
    await db.cleanup();
  });

  it('a retry waits out the dead request\'s lease, then creates the connection once', async () => {
    const [first, second] = await Promise.all([startBrokerProcess(db), startBrokerProcess(db)]);
    brokers.push(first!, second!);
    const auth = { authorization: `Bearer ${apiKey}` };
    const org = await request(`${second!.url}/organizations`, 'POST', { name: 'Crash School' }, auth);
    assert.equal(org.status, 201);
    const body = { organization_id: org.body.id, connection_type: 'GenericOIDC', name: 'IdP', client_id: 'c', client_secret: 's', discovery_endpoint: `${discoveryUrl}/.well-known/openid-configuration` };
    const headers = { ...auth, 'idempotency-key': 'create-conn-crash' };

    const inFlight = request(`${first!.url}/connections`, 'POST', body, headers).catch((err: unknown) => err);
    const deadline = Date.now() + 30_000;
    while (discoveryHits === 0 && Date.now() < deadline) await sleep(20);
    assert.equal(discoveryHits, 1, 'the first request is checking the discovery endpoint');
    const claimedAt = Date.now();
    first!.child.kill('SIGKILL');
    assert.ok((await inFlight) instanceof Error, 'the first request died with its process');

    hang = false;
    const during = await request(`${second!.url}/connections`, 'POST', body, headers);
    if (Date.now() - claimedAt < LEASE_MS) {
      assert.equal(during.status, 409, JSON.stringify(during.body));
      assert.equal(during.body.code, 'conflict');
    }

    let retry = during;
    while (retry.status === 409 && Date.now() < claimedAt + LEASE_MS + 20_000) {
      await sleep(250);
      retry = await request(`${second!.url}/connections`, 'POST', body, headers);
    }
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.ok(Date.now() - claimedAt >= LEASE_MS - 500, 'not before the lease passed');
    assert.equal(retry.body.state, 'active');

    const replay = await request(`${second!.url}/connections`, 'POST', body, headers);
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.body.id, retry.body.id);
    const list = await request(`${second!.url}/connections?organization_id=${org.body.id}`, 'GET', undefined, auth);
    assert.deepEqual(list.body.data.map((c: { id: string }) => c.id), [retry.body.id], 'created exactly once');
  });
});
