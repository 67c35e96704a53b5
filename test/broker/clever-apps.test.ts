/**
 * Several Clever apps in one deployment (a vendor with one Clever app per
 * product): three apps, each serving its own district through its own
 * organization. Each app has its own Redirect URI, so Portal and Instant Login
 * launches — which arrive with a code and nothing else — land in the right
 * organization, interleaved; `provider=CleverOIDC` names its app through the
 * SDK's `providerQueryParams: { client_id }`. Runs on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { APP_CALLBACK, appResult, createOrgWithConnection, signInAtClever, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT, SECOND_DISTRICT, SECOND_DISTRICT_APP, THIRD_DISTRICT_APP, UNSERVED_DISTRICT } from '../support/clever-seed.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent } from '../support/user-agent.ts';

/** Each app, the district it serves, the portal slug of that district, and a user there. */
const APPS = [
  { app: HALLPASS_APP, district: SANDBOX_DISTRICT, slug: 'hallpass-sandbox', user: 'li.ming', lastName: '李' },
  { app: SECOND_DISTRICT_APP, district: SECOND_DISTRICT, slug: 'rio-grande', user: 'begona', lastName: 'Ibáñez' },
  { app: THIRD_DISTRICT_APP, district: UNSERVED_DISTRICT, slug: 'unserved', user: 'uma', lastName: 'Unserved' },
];

forEachDatabase('three Clever apps in one deployment', (database) => {
  let db: OpenTestDatabase;
  let hallpass: RunningHallpass;
  let sandbox: RunningCleverSandbox;
  const orgs = new Map<string, { organizationId: string; connection: any }>();

  before(async () => {
    db = await database.open();
    hallpass = await startHallpass({ databaseUrl: db.databaseUrl, redirectUris: [APP_CALLBACK] });
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
    for (const { app, district } of APPS) {
      orgs.set(app.clientId, await createOrgWithConnection(hallpass, { name: `District of ${app.clientId}` }, {
        connection_type: 'CleverOIDC',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
        district_id: district,
      }));
    }
  });
  after(async () => {
    await sandbox?.close();
    await hallpass?.close();
    await db?.cleanup();
  });

  async function profileOf(page: Awaited<ReturnType<UserAgent['get']>>) {
    const result = appResult(page);
    assert.ok(result.code, `the app got a code: ${result.error} ${result.errorDescription}`);
    return (await workosFor(hallpass).sso.getProfileAndToken({ code: result.code, clientId: hallpass.clientId })).profile;
  }

  it('gives each Clever app its own Redirect URI, shown on each of its connections', () => {
    for (const { app } of APPS) {
      assert.equal(orgs.get(app.clientId)!.connection.redirect_uri, `${hallpass.url}/sso/clever/callback/${app.clientId}`);
    }
  });

  it('Portal launches of the three apps, interleaved, each land in their own organization', async () => {
    const launches = APPS.map(async ({ app, slug, user, lastName }) => {
      const ua = new UserAgent();
      const portal = await signInAtClever(ua, await ua.get(`${sandbox.url}/in/${slug}`), user);
      const launched = await ua.submit(portal, { form: `launch-${app.clientId}`, stopAt: stopAtApp });
      assert.ok(launched.redirects.some((u) => new URL(u).pathname === `/sso/clever/callback/${app.clientId}`), 'the launch arrived at its app’s Redirect URI');
      const profile = await profileOf(launched);
      assert.equal(profile.organizationId, orgs.get(app.clientId)!.organizationId);
      assert.equal(profile.lastName, lastName);
    });
    await Promise.all(launches);
  });

  it('Instant Login links of the three apps, twice each and interleaved, land in their own organization', async () => {
    const rounds = [...APPS, ...APPS].map(async ({ app, district, user }) => {
      const ua = new UserAgent();
      const start = await ua.get(`${sandbox.url}/oauth/instant-login?client_id=${app.clientId}&district_id=${district}`, { stopAt: stopAtApp });
      const profile = await profileOf(await signInAtClever(ua, start, user));
      assert.equal(profile.organizationId, orgs.get(app.clientId)!.organizationId);
      assert.equal(profile.connectionId, orgs.get(app.clientId)!.connection.id);
    });
    await Promise.all(rounds);
  });

  it('Log in with Clever through each app’s organization, interleaved', async () => {
    await Promise.all(APPS.map(async ({ app, user }) => {
      const ua = new UserAgent();
      const url = workosFor(hallpass).sso.getAuthorizationUrl({ organization: orgs.get(app.clientId)!.organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: app.clientId });
      const profile = await profileOf(await signInAtClever(ua, await ua.get(url, { stopAt: stopAtApp }), user));
      assert.equal(profile.organizationId, orgs.get(app.clientId)!.organizationId);
    }));
  });

  it('provider=CleverOIDC names its Clever app with providerQueryParams: { client_id }', async () => {
    const ua = new UserAgent();
    const url = workosFor(hallpass).sso.getAuthorizationUrl({
      provider: 'CleverOIDC' as never,
      providerQueryParams: { client_id: SECOND_DISTRICT_APP.clientId },
      clientId: hallpass.clientId,
      redirectUri: APP_CALLBACK,
      state: 'named-app',
    });
    const picker = await ua.get(url, { stopAt: stopAtApp });
    const atClever = picker.redirects.map((u) => new URL(u)).find((u) => u.pathname === '/oauth/authorize');
    assert.equal(atClever?.searchParams.get('client_id'), SECOND_DISTRICT_APP.clientId, 'Clever was asked for the named app');
    assert.equal(atClever?.searchParams.get('redirect_uri'), `${hallpass.url}/sso/clever/callback/${SECOND_DISTRICT_APP.clientId}`);
    const results = await ua.submit(picker, { form: 'school-search', fields: { q: 'Lincoln' } });
    const login = await ua.click(results, 'Lincoln Elementary', { stopAt: stopAtApp });
    const profile = await profileOf(await signInAtClever(ua, login, 'begona'));
    assert.equal(profile.organizationId, orgs.get(SECOND_DISTRICT_APP.clientId)!.organizationId);
  });

  it('a launch through an app that does not serve the user’s district is refused, naming the reason', async () => {
    // The Hallpass app is authorized by the second district too, but that district is served through app B.
    const ua = new UserAgent();
    const start = await ua.get(`${sandbox.url}/oauth/instant-login?client_id=${HALLPASS_APP.clientId}&district_id=${SECOND_DISTRICT}`, { stopAt: stopAtApp });
    const result = appResult(await signInAtClever(ua, start, 'begona'));
    assert.equal(result.code, null);
    assert.equal(result.error, 'access_denied');
    assert.match(result.errorDescription ?? '', /served through a different Clever app/);
  });
});
