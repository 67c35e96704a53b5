/**
 * Whole Clever logins over real HTTP: the unmodified WorkOS SDK as the app,
 * Hallpass, and the Clever sandbox as Clever — Log in with Clever with and
 * without a district, Portal and Instant Login launches, two organizations
 * sharing one Clever app, an app without OIDC, an unsupported user type and
 * a district no organization serves. Runs on SQLite and PostgreSQL, with
 * the sandbox answering in Clever's current claim shape (`district`,
 * `district admin`) and in the older one (`district_id`, `district_admin`).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { api, APP_CALLBACK, appResult, createOrgWithConnection, latestLoginAttempt, signInAtClever, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, NO_OIDC_APP, SANDBOX_DISTRICT, SECOND_DISTRICT, STUDENTS_ONLY_APP, UNSERVED_DISTRICT } from '../support/clever-seed.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent } from '../support/user-agent.ts';

for (const claims of ['current', 'legacy'] as const) forEachDatabase(`Clever logins through Hallpass (${claims} claims)`, (database) => {
  /** Where each shape names the district, and how it spells a district admin. */
  const districtClaim = claims === 'current' ? 'district' : 'district_id';
  const districtAdmin = claims === 'current' ? 'district admin' : 'district_admin';
  let db: OpenTestDatabase;
  let hallpass: RunningHallpass;
  let sandbox: RunningCleverSandbox;
  let orgA: { organizationId: string; connectionId: string };
  let orgB: { organizationId: string; connectionId: string };

  before(async () => {
    db = await database.open();
    hallpass = await startHallpass({ databaseUrl: db.databaseUrl, redirectUris: [APP_CALLBACK] });
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`, { claims }), logger: false });
    const clever = { connection_type: 'CleverOIDC', client_id: HALLPASS_APP.clientId, client_secret: HALLPASS_APP.clientSecret, discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration` };
    orgA = await createOrgWithConnection(hallpass, { name: 'Sandbox District' }, { ...clever, district_id: SANDBOX_DISTRICT });
    orgB = await createOrgWithConnection(hallpass, { name: 'Río Grande Unified' }, { ...clever, district_id: SECOND_DISTRICT });
  });
  after(async () => {
    await sandbox?.close();
    await hallpass?.close();
    await db?.cleanup();
  });

  it('Log in with Clever for an organization skips the school picker and returns a UTF-8 profile', async () => {
    const workos = workosFor(hallpass);
    const url = workos.sso.getAuthorizationUrl({ organization: orgA.organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'xyz-ñ' });
    const ua = new UserAgent();
    const districtPage = await ua.get(url, { stopAt: stopAtApp });
    assert.match(districtPage.body, /Log in with Google/);
    const result = appResult(await signInAtClever(ua, districtPage, 'nandu.perez'));
    assert.equal(result.state, 'xyz-ñ');
    assert.ok(result.code);

    const { profile, accessToken } = await workos.sso.getProfileAndToken({ code: result.code, clientId: hallpass.clientId });
    assert.equal(profile.idpId, 'd4bc587efcd7a7240ef0d662');
    assert.equal(profile.organizationId, orgA.organizationId);
    assert.equal(profile.connectionId, orgA.connectionId);
    assert.equal(profile.connectionType, 'CleverOIDC');
    assert.equal(profile.firstName, 'Ñandú');
    assert.equal(profile.lastName, 'Pérez');
    assert.equal(profile.email, 'nandu.perez@sandbox.hallpass.example');
    assert.deepEqual(profile.groups, ['student']);
    assert.deepEqual(profile.role, { slug: 'member' });
    assert.equal(profile.rawAttributes?.user_type, 'student');
    assert.equal(profile.rawAttributes?.[districtClaim], SANDBOX_DISTRICT);
    assert.equal(profile.rawAttributes?.user_id, 'd4bc587efcd7a7240ef0d662');

    const again = await workos.sso.getProfile({ accessToken });
    assert.equal(again.id, profile.id);
  });

  it('provider=CleverOIDC lets the school picker decide, and the district picks the organization', async () => {
    const workos = workosFor(hallpass);
    const url = workos.sso.getAuthorizationUrl({ provider: 'CleverOIDC' as never, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 's1' });
    const ua = new UserAgent();
    const picker = await ua.get(url, { stopAt: stopAtApp });
    assert.match(picker.body, /school-search/);
    const results = await ua.submit(picker, { form: 'school-search', fields: { q: 'Lincoln' } });
    const login = await ua.click(results, 'Lincoln Elementary', { stopAt: stopAtApp });
    const result = appResult(await signInAtClever(ua, login, 'begona'));
    assert.equal(result.state, 's1');
    const { profile } = await workos.sso.getProfileAndToken({ code: result.code!, clientId: hallpass.clientId });
    assert.equal(profile.organizationId, orgB.organizationId);
    assert.equal(profile.connectionId, orgB.connectionId);
    assert.equal(profile.firstName, 'Begoña');
    // Recorded on its return (no connection was known at the start): each step once, in order.
    const attempt = await latestLoginAttempt(hallpass, orgB.connectionId);
    assert.deepEqual(attempt.steps?.map((s) => s.step), ['callback', 'token_exchange', 'profile', 'organization', 'code_issued', 'code_redeemed']);
    assert.deepEqual(profile.groups, ['teacher']);
  });

  it('a Clever Portal launch arrives without state, is restarted, and ends at the default redirect URI', async () => {
    const ua = new UserAgent();
    const login = await ua.get(`${sandbox.url}/in/hallpass-sandbox`);
    const portal = await signInAtClever(ua, login, 'li.ming');
    assert.match(portal.body, new RegExp(`launch-${HALLPASS_APP.clientId}`));
    const launched = await ua.submit(portal, { form: `launch-${HALLPASS_APP.clientId}`, stopAt: stopAtApp });
    // Clever's code went to Hallpass's callback without state and was never redeemed: Hallpass went back to Clever.
    const hops = launched.redirects.map((u) => new URL(u));
    const firstCallback = hops.findIndex((u) => u.pathname === `/sso/clever/callback/${HALLPASS_APP.clientId}`);
    assert.ok(firstCallback >= 0, 'Clever sent the user to the broker');
    assert.equal(hops[firstCallback]!.searchParams.get('state'), null);
    assert.ok(hops.slice(firstCallback + 1).some((u) => u.pathname === '/oauth/authorize' && u.searchParams.get('state')), 'the login was restarted with a state');

    const result = appResult(launched);
    assert.equal(result.state, null);
    const { profile } = await workosFor(hallpass).sso.getProfileAndToken({ code: result.code!, clientId: hallpass.clientId });
    assert.equal(profile.organizationId, orgA.organizationId);
    assert.equal(profile.lastName, '李');
  });

  it('an Instant Login link lands in the organization of its district', async () => {
    const ua = new UserAgent();
    const start = await ua.get(`${sandbox.url}/oauth/instant-login?client_id=${HALLPASS_APP.clientId}&district_id=${SECOND_DISTRICT}`, { stopAt: stopAtApp });
    const result = appResult(await signInAtClever(ua, start, 'begona'));
    assert.equal(result.state, null);
    const { profile } = await workosFor(hallpass).sso.getProfileAndToken({ code: result.code!, clientId: hallpass.clientId });
    assert.equal(profile.organizationId, orgB.organizationId);
  });

  it('a multi-role user picks a role: user_type follows the pick, idp_id stays the same', async () => {
    const workos = workosFor(hallpass);
    const seen: Record<string, unknown>[] = [];
    for (const role of ['teacher', 'district_admin']) {
      const ua = new UserAgent();
      const url = workos.sso.getAuthorizationUrl({ organization: orgA.organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: role });
      const result = appResult(await signInAtClever(ua, await ua.get(url, { stopAt: stopAtApp }), 'marisol.quinones', { role }));
      const { profile } = await workos.sso.getProfileAndToken({ code: result.code!, clientId: hallpass.clientId });
      seen.push({ idpId: profile.idpId, userType: profile.rawAttributes?.user_type, groups: profile.groups });
    }
    assert.equal(seen[0]!.idpId, seen[1]!.idpId);
    assert.deepEqual(seen.map((s) => s.userType), ['teacher', districtAdmin]);
    assert.deepEqual(seen.map((s) => s.groups), [['teacher'], ['district_admin']], 'one canonical group whichever spelling Clever sends');
  });

  it('a district no organization serves gets a friendly page, and the attempt records the district', async () => {
    const ua = new UserAgent();
    const start = await ua.get(`${sandbox.url}/oauth/instant-login?client_id=${HALLPASS_APP.clientId}&district_id=${UNSERVED_DISTRICT}`, { stopAt: stopAtApp });
    const end = await signInAtClever(ua, start, 'uma');
    assert.ok(!end.stopped, 'the app received nothing');
    assert.equal(end.status, 400);
    assert.match(end.body, /couldn't sign you in/);
    assert.match(end.body, new RegExp(`No organization is set up for Clever district ${UNSERVED_DISTRICT}`));
    const { data } = await hallpass.store.loginAttempts.list({ limit: 20, order: 'desc' });
    const attempt = data.find((a) => a.districtId === UNSERVED_DISTRICT);
    assert.ok(attempt, 'attempt recorded with the district');
    assert.equal(attempt.outcome, 'failed');
    assert.equal(attempt.errorCode, 'organization_invalid');
    assert.equal(attempt.initiatedBy, 'idp');
  });

  it('refuses a second active connection for a district another organization serves', async () => {
    const other = await api(hallpass, 'POST', '/organizations', { name: 'Squatter' });
    const clever = { connection_type: 'CleverOIDC', client_id: HALLPASS_APP.clientId, client_secret: HALLPASS_APP.clientSecret, discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration` };
    const taken = await api(hallpass, 'POST', '/connections', { organization_id: other.body.id, name: 'dup', ...clever, district_id: SANDBOX_DISTRICT });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 'conflict');
    assert.match(taken.body.message, new RegExp(orgA.connectionId));
    // As a draft (no district yet) it may exist; it cannot go live on the taken district.
    const draft = await api(hallpass, 'POST', '/connections', { organization_id: other.body.id, name: 'draft', ...clever });
    assert.equal(draft.body.state, 'draft');
    const moved = await api(hallpass, 'PUT', `/connections/${draft.body.id}`, { district_id: SANDBOX_DISTRICT });
    assert.equal(moved.status, 409);
    assert.equal((await api(hallpass, 'GET', `/connections/${draft.body.id}`)).body.state, 'draft', 'nothing stored by the refused update');
  });

  it('a code is single use, and a callback that arrives twice is told the sign-in went through', async () => {
    const workos = workosFor(hallpass);
    const ua = new UserAgent();
    const url = workos.sso.getAuthorizationUrl({ organization: orgA.organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'once' });
    const page = await signInAtClever(ua, await ua.get(url, { stopAt: stopAtApp }), 'jose.garcia');
    const result = appResult(page);
    const callback = page.redirects.find((u) => new URL(u).pathname.startsWith(`/sso/clever/callback`))!;
    await workos.sso.getProfileAndToken({ code: result.code!, clientId: hallpass.clientId });
    await assert.rejects(workos.sso.getProfileAndToken({ code: result.code!, clientId: hallpass.clientId }), /invalid_grant|invalid, expired or already used/);

    const replay = await ua.get(callback, { stopAt: stopAtApp });
    assert.ok(!replay.stopped, 'no second code reached the app');
    assert.equal(replay.status, 200);
    assert.match(replay.body, /You already signed in/);
  });
});

forEachDatabase('Clever apps with other settings', (database) => {
  let db: OpenTestDatabase;
  let hallpass: RunningHallpass;
  let sandbox: RunningCleverSandbox;

  before(async () => {
    db = await database.open();
    hallpass = await startHallpass({ databaseUrl: db.databaseUrl, redirectUris: [APP_CALLBACK] });
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
  });
  after(async () => {
    await sandbox?.close();
    await hallpass?.close();
    await db?.cleanup();
  });

  const connect = (app: { clientId: string; clientSecret: string }, name: string, district: string) =>
    createOrgWithConnection(hallpass, { name }, {
      connection_type: 'CleverOIDC',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
      district_id: district,
    });

  it('a Clever app without OIDC gets its profile from the Data API', async () => {
    const { connectionId } = await connect(NO_OIDC_APP, 'No OIDC', SANDBOX_DISTRICT);
    const workos = workosFor(hallpass);
    const ua = new UserAgent();
    const url = workos.sso.getAuthorizationUrl({ connection: connectionId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'n' });
    const result = appResult(await signInAtClever(ua, await ua.get(url, { stopAt: stopAtApp }), 'zoe.bronte'));
    const { profile } = await workos.sso.getProfileAndToken({ code: result.code!, clientId: hallpass.clientId });
    assert.equal(profile.idpId, 'de2558d932132fabb9bbd3b0');
    assert.equal(profile.firstName, 'Zoë');
    assert.equal(profile.lastName, 'Brontë');
    assert.equal(profile.email, null);
    assert.deepEqual(profile.groups, ['student']);
    assert.equal(profile.rawAttributes?.district_id, SANDBOX_DISTRICT);
  });

  it('a user type the app does not support sees Clever\'s error, and the app gets no code', async () => {
    const { connectionId } = await connect(STUDENTS_ONLY_APP, 'Students only', SECOND_DISTRICT);
    const ua = new UserAgent();
    const url = workosFor(hallpass).sso.getAuthorizationUrl({ connection: connectionId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 't' });
    const end = await signInAtClever(ua, await ua.get(url, { stopAt: stopAtApp }), 'begona');
    assert.ok(!end.stopped, 'the app received nothing');
    assert.ok(!end.redirects.some((u) => new URL(u).pathname.startsWith('/sso/clever/callback')), 'Clever never sent the user to Hallpass');
    assert.match(end.body, /teacher/i);
  });

  it('with two Clever apps live, a login without a district uses the first app unless it names another', async () => {
    // The two tests above left one connection per Clever app; the app without OIDC went live first.
    const workos = workosFor(hallpass);
    const clientAtClever = async (providerQueryParams?: Record<string, string>) => {
      const url = workos.sso.getAuthorizationUrl({ provider: 'CleverOIDC' as never, ...(providerQueryParams ? { providerQueryParams } : {}), clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'two-apps' });
      const response = await fetch(url, { redirect: 'manual' });
      return new URL(response.headers.get('location')!);
    };
    assert.equal((await clientAtClever()).searchParams.get('client_id'), NO_OIDC_APP.clientId);
    assert.equal((await clientAtClever({ client_id: STUDENTS_ONLY_APP.clientId })).searchParams.get('client_id'), STUDENTS_ONLY_APP.clientId);

    const unknown = await clientAtClever({ client_id: 'no-such-clever-app' });
    assert.equal(unknown.searchParams.get('error'), 'connection_invalid');
    assert.match(unknown.searchParams.get('error_description') ?? '', /No active Clever connection uses the Clever app no-such-clever-app/);
    assert.equal(unknown.searchParams.get('state'), 'two-apps');
  });
});
