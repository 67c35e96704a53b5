/**
 * Several Hallpass instances sharing one PostgreSQL database behind one
 * public URL, as behind a load balancer: a login started on one instance
 * completes on another, and a code is redeemed once only however many
 * instances are asked at the same moment. PostgreSQL only: that is the
 * database several instances share.
 *
 * The second instance is built here rather than with `startHallpass`, which
 * gives every instance its own public URL (its own port). Instances with
 * different public URLs are not one deployment: the callback instance would
 * send the IdP another `redirect_uri` than the one the login started with,
 * and a correct IdP refuses the code (RFC 6749 §4.1.3).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HallpassContext } from '../../src/context.ts';
import { createSecretBox } from '../../src/secrets.ts';
import { build } from '../../src/server.ts';
import { openStore } from '../../src/store/index.ts';
import { BINDING_COOKIE } from '../../src/sso/browser-binding.ts';
import { READ_CACHE_TTL_MS } from '../../src/store/read-cache.ts';
import type { Store } from '../../src/store/types.ts';
import { APP_CALLBACK, appResult, createOrgWithConnection, latestLoginAttempt, signInAtOidcProvider, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { databases, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { startOidcProvider, type RunningOidcProvider, type TestAccount } from '../support/oidc-provider.ts';
import { UserAgent } from '../support/user-agent.ts';

const postgres = databases.find((d) => d.name === 'postgres')!;

const SOL: TestAccount = { id: 'op-user-sol', login: 'sol', password: 'pw-sol', given_name: 'Sol', family_name: 'Ibáñez', groups: ['grp-staff'] };

interface SecondInstance {
  /** Where this instance listens; its public URL is the first instance's. */
  url: string;
  store: Store;
  close(): Promise<void>;
}

/**
 * Another instance of `first`'s deployment: the same database, secret key and
 * public URL, its own port and everything a process holds (database pool,
 * discovery and JWKS caches, Fastify app).
 */
async function startSecondInstance(first: RunningHallpass): Promise<SecondInstance> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hallpass-test-'));
  const { config, logger } = first.ctx;
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir, logger });
  const ctx: HallpassContext = { config, store, logger, secrets: createSecretBox(config.secretKey!), now: first.ctx.now };
  const app = await build(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    store,
    async close() {
      await app.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describe('Hallpass instances sharing one database [postgres]', { skip: postgres.skip }, () => {
  let db: OpenTestDatabase;
  /** Instance A; its URL is the deployment's public URL. */
  let a: RunningHallpass;
  let b: SecondInstance;
  let op: RunningOidcProvider;
  let connectionId: string;

  before(async () => {
    db = await postgres.open();
    a = await startHallpass({ databaseUrl: db.databaseUrl, redirectUris: [APP_CALLBACK] });
    b = await startSecondInstance(a);
    op = await startOidcProvider({ accounts: [SOL] });
    const created = await createOrgWithConnection(a, { name: 'Instituto Compartido' }, {
      connection_type: 'GenericOIDC',
      client_id: 'hallpass-shared',
      client_secret: 'hallpass-shared-secret',
      discovery_endpoint: op.discoveryEndpoint,
    });
    connectionId = created.connectionId;
    op.addClient({ client_id: 'hallpass-shared', client_secret: 'hallpass-shared-secret', redirect_uris: [created.connection.redirect_uri] });
  });
  after(async () => {
    await op?.close();
    await b?.close();
    await a?.close();
    await db?.cleanup();
  });

  const authorizationUrl = (state: string) =>
    workosFor(a).sso.getAuthorizationUrl({ connection: connectionId, clientId: a.clientId, redirectUri: APP_CALLBACK, state });

  it('a login started on instance A completes on instance B', async () => {
    const ua = new UserAgent();
    const atCallback = (url: URL) => url.pathname === `/sso/oidc/callback/${connectionId}`;
    const idpLogin = await ua.get(authorizationUrl('across'), { stopAt: atCallback });
    const callback = await signInAtOidcProvider(ua, idpLogin, SOL.login, SOL.password, atCallback);
    assert.ok(callback.stopped, `the IdP sent the browser back to the public URL, not ${callback.url}`);
    assert.ok(callback.url.startsWith(a.url));

    // The load balancer sends the browser's callback, cookies and all, to B.
    const onB = new URL(callback.url);
    const bUrl = new URL(b.url);
    onB.host = bUrl.host;
    const binding = ua.cookie(a.url, BINDING_COOKIE);
    assert.ok(binding, 'A bound the login to the browser');
    const answer = await fetch(onB, { redirect: 'manual', headers: { cookie: `${BINDING_COOKIE}=${binding}` } });
    assert.equal(answer.status, 302);
    const toApp = new URL(answer.headers.get('location') ?? '');
    assert.ok(toApp.href.startsWith(APP_CALLBACK), toApp.href);
    assert.equal(toApp.searchParams.get('error'), null, toApp.searchParams.get('error_description') ?? '');
    assert.equal(toApp.searchParams.get('state'), 'across');
    const code = toApp.searchParams.get('code');
    assert.ok(code);

    // The app's back end talks to B too.
    const { profile, accessToken } = await workosFor({ ...a, url: b.url }).sso.getProfileAndToken({ code, clientId: a.clientId });
    assert.equal(profile.idpId, SOL.id);
    assert.equal(profile.lastName, 'Ibáñez');
    assert.equal(profile.connectionId, connectionId);
    // And A knows the access token B issued.
    assert.equal((await workosFor(a).sso.getProfile({ accessToken })).id, profile.id);
    const attempt = await latestLoginAttempt(a, connectionId);
    assert.deepEqual([attempt.outcome, attempt.step, attempt.idpId], ['succeeded', 'code_redeemed', SOL.id]);
  });

  it('a code issued by A is redeemed once only when A and B are asked at the same moment', async () => {
    const redeemAt = async (url: string, code: string) => {
      const response = await fetch(`${url}/sso/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: a.clientId, client_secret: a.apiKey, code }),
      });
      return { status: response.status, body: (await response.json()) as { error?: string; access_token?: string } };
    };

    // Several races, so a lucky interleaving cannot pass for atomicity.
    for (let round = 0; round < 5; round++) {
      const ua = new UserAgent();
      const start = await ua.get(authorizationUrl(`race-${round}`), { stopAt: stopAtApp });
      const { code } = appResult(await signInAtOidcProvider(ua, start, SOL.login, SOL.password));
      assert.ok(code);

      const answers = await Promise.all([redeemAt(a.url, code), redeemAt(b.url, code)]);
      const statuses = answers.map((x) => x.status).sort();
      assert.deepEqual(statuses, [200, 400], `round ${round}: ${JSON.stringify(answers)}`);
      const refused = answers.find((x) => x.status === 400)!;
      assert.equal(refused.body.error, 'invalid_grant');
      assert.ok(answers.find((x) => x.status === 200)!.body.access_token);
    }
  });

  it('an API key revoked on A is refused by A at once and by B within the read cache lifetime (5 s)', async () => {
    const created = await fetch(`${a.url}/api_keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'shared-key' }),
    });
    const { id, value } = (await created.json()) as { id: string; value: string };
    const status = async (url: string) => (await fetch(`${url}/organizations`, { headers: { authorization: `Bearer ${value}` } })).status;
    assert.deepEqual([await status(a.url), await status(b.url)], [200, 200], 'both instances now know the key');

    const revoked = await fetch(`${a.url}/api_keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${a.apiKey}` } });
    assert.equal(revoked.status, 204);
    const revokedAt = Date.now();
    assert.equal(await status(a.url), 401, 'at once on the instance that revoked it');
    while ((await status(b.url)) !== 401) {
      assert.ok(Date.now() - revokedAt < READ_CACHE_TTL_MS + 1_000, 'B still accepts the key after the read cache lifetime');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
});
