/**
 * Requests that never reach a connection (an unknown client or redirect URI,
 * a callback with an unknown state, a Clever launch whose person never comes
 * back) are counted per hour and reason, not stored one row each; logins that
 * do come back are recorded, with their district. Runs on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { APP_CALLBACK, appResult, createOrgWithConnection, signInAtClever, stopAtApp } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT, UNSERVED_DISTRICT } from '../support/clever-seed.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent } from '../support/user-agent.ts';

forEachDatabase('requests that reach no connection', (database) => {
  let db: OpenTestDatabase;
  let hallpass: RunningHallpass;
  let sandbox: RunningCleverSandbox;
  let org: { organizationId: string; connectionId: string };

  before(async () => {
    db = await database.open();
    hallpass = await startHallpass({ databaseUrl: db.databaseUrl, redirectUris: [APP_CALLBACK] });
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
    org = await createOrgWithConnection(hallpass, { name: 'Sandbox District' }, {
      connection_type: 'CleverOIDC', client_id: HALLPASS_APP.clientId, client_secret: HALLPASS_APP.clientSecret,
      discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`, district_id: SANDBOX_DISTRICT,
    });
  });
  after(async () => {
    await sandbox?.close();
    await hallpass?.close();
    await db?.cleanup();
  });

  const status = async (path: string) => (await fetch(`${hallpass.url}${path}`, { redirect: 'manual' })).status;
  const attempts = async () => (await hallpass.store.loginAttempts.list({ limit: 100, order: 'desc' })).data;

  it('are counted, not stored, and the logins that come back are recorded', async () => {
    const app = `redirect_uri=${encodeURIComponent(APP_CALLBACK)}&response_type=code`;
    for (let i = 0; i < 20; i++) assert.equal(await status(`/sso/authorize?client_id=client_${i}&${app}&provider=CleverOIDC`), 400);
    for (let i = 0; i < 5; i++) assert.equal(await status(`/sso/authorize?client_id=${hallpass.clientId}&redirect_uri=https://evil.example/${i}&response_type=code`), 400);
    for (let i = 0; i < 5; i++) assert.equal(await status(`/sso/authorize?client_id=${hallpass.clientId}&${app}&organization=org_missing${i}`), 302);
    // A Clever launch (code, no state) restarts the login at Clever: 302, and nothing stored until the person is back.
    for (let i = 0; i < 20; i++) assert.equal(await status(`/sso/clever/callback?code=launch-${i}`), 302);
    assert.equal(await status(`/sso/authorize?client_id=${hallpass.clientId}&${app}&provider=CleverOIDC`), 302);
    for (let i = 0; i < 10; i++) assert.equal(await status(`/sso/clever/callback?code=c&state=forged-${i}`), 400);
    assert.equal(await status(`/sso/oidc/callback/${org.connectionId}?code=c`), 400);
    assert.deepEqual(await attempts(), [], 'no row for any of them');

    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    await hallpass.store.sweep(new Date(), new Date(0));
    const counts = Object.fromEntries((await hallpass.store.loginCounters.list(hour)).map((c) => [c.reason, c.count]));
    assert.deepEqual(counts, {
      'authorize:invalid_client': 20,
      'authorize:invalid_request': 5,
      'start:organization_invalid': 5,
      'started_without_connection:idp': 20,
      'started_without_connection:app': 1,
      'callback:unknown_state': 10,
      'callback:no_state': 1,
    });

    // An Instant Login that comes back is recorded, in a served district and in one nobody serves.
    for (const [district, user] of [[SANDBOX_DISTRICT, 'nandu.perez'], [UNSERVED_DISTRICT, 'uma']] as const) {
      const ua = new UserAgent();
      const start = await ua.get(`${sandbox.url}/oauth/instant-login?client_id=${HALLPASS_APP.clientId}&district_id=${district}`, { stopAt: stopAtApp });
      const end = await signInAtClever(ua, start, user);
      if (district === SANDBOX_DISTRICT) assert.ok(appResult(end).code);
    }
    const recorded = await attempts();
    assert.deepEqual(
      recorded.map((a) => [a.initiatedBy, a.districtId, a.connectionId, a.outcome]).sort(),
      [['idp', SANDBOX_DISTRICT, org.connectionId, 'pending'], ['idp', UNSERVED_DISTRICT, null, 'failed']].sort(),
    );
  });
});
