/**
 * Clever's claims in every shape Clever has sent them, each from an IdP that
 * answers exactly that way (the hostile test IdP as Clever): the district as
 * `district` (Clever's documentation today) or `district_id` (older tokens,
 * seed 001), both, two different ones (refused), none in the ID token but in
 * /userinfo, none but in the Data API's /v3.0/me, and none anywhere; and
 * `user_type` in both spellings mapped to one canonical group.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { api, APP_CALLBACK, appResult, createOrgWithConnection, latestLoginAttempt, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { startHostileIdp, type HostileIdpUser, type RunningHostileIdp } from '../support/hostile-idp.ts';
import { UserAgent } from '../support/user-agent.ts';

const DISTRICT = '53ee4b8a44abc88c1c00119b';
const OTHER_DISTRICT = '5a1f0e6b9c3d2e4f60718293';
const student = (claims: Record<string, unknown>): HostileIdpUser => ({
  sub: 'd4bc587efcd7a7240ef0d662',
  user_id: 'd4bc587efcd7a7240ef0d662',
  user_type: 'student',
  email: 'nandu.perez@sandbox.hallpass.example',
  given_name: 'Ñandú',
  family_name: 'Pérez',
  ...claims,
});

forEachDatabase('Clever claim shapes', (database) => {
  let db: OpenTestDatabase;
  let hallpass: RunningHallpass;
  let idp: RunningHostileIdp;
  let org: { organizationId: string; connectionId: string };

  before(async () => {
    db = await database.open();
    hallpass = await startHallpass({ databaseUrl: db.databaseUrl, redirectUris: [APP_CALLBACK] });
    idp = await startHostileIdp({ clientId: 'clever-shaped-app', clientSecret: 'clever-shaped-secret', cleverStyleScope: true });
    org = await createOrgWithConnection(hallpass, { name: 'Distrito Escolar' }, {
      connection_type: 'CleverOIDC',
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      discovery_endpoint: idp.discoveryEndpoint,
      district_id: DISTRICT,
      role_mappings: [{ group: 'school_admin', role: 'admin' }, { group: 'district_admin', role: 'owner' }],
    });
  });
  after(async () => {
    await idp?.close();
    await hallpass?.close();
    await db?.cleanup();
  });

  async function logIn(state: string) {
    const url = workosFor(hallpass).sso.getAuthorizationUrl({ organization: org.organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state });
    return appResult(await new UserAgent().get(url, { stopAt: stopAtApp }));
  }

  async function profileFor(state: string) {
    const result = await logIn(state);
    assert.ok(result.code, `the app got a code: ${result.error} ${result.errorDescription}`);
    return (await workosFor(hallpass).sso.getProfileAndToken({ code: result.code, clientId: hallpass.clientId })).profile;
  }

  it('reads the district from `district`, as Clever sends it today, without asking /userinfo', async () => {
    idp.setUser(student({ district: DISTRICT }));
    const userinfoCalls = idp.requests.userinfo;
    const profile = await profileFor('district');
    assert.equal(profile.organizationId, org.organizationId);
    assert.equal(profile.rawAttributes?.district, DISTRICT);
    assert.equal(profile.rawAttributes?.district_id, undefined, 'raw attributes are what Clever sent');
    assert.equal(idp.requests.userinfo, userinfoCalls);
  });

  it('reads the district from `district_id`, as older tokens carry it', async () => {
    idp.setUser(student({ district_id: DISTRICT }));
    assert.equal((await profileFor('district_id')).organizationId, org.organizationId);
  });

  it('accepts both when they agree', async () => {
    idp.setUser(student({ district: DISTRICT, district_id: DISTRICT }));
    assert.equal((await profileFor('both')).organizationId, org.organizationId);
  });

  it('refuses an ID token naming two different districts', async () => {
    idp.setUser(student({ district: DISTRICT, district_id: OTHER_DISTRICT }));
    const result = await logIn('two');
    assert.equal(result.code, null);
    assert.equal(result.error, 'oauth_failed');
    const attempt = await latestLoginAttempt(hallpass, org.connectionId);
    assert.equal(attempt.errorCode, 'upstream_invalid_response');
    assert.match(attempt.errorDescription ?? '', new RegExp(`district ${DISTRICT} and district_id ${OTHER_DISTRICT}`));
    assert.equal(attempt.idpId, 'd4bc587efcd7a7240ef0d662', 'claims kept without a profile carry their sub, so the personal-data sweep finds them');
  });

  it('asks /userinfo when the ID token names no district, and keeps its claims', async () => {
    idp.setUser(student({}), { userinfoOnly: { district: DISTRICT, schools: ['dbb0520fee83cabb6190bb52'], authorized_by: 'district' } });
    const profile = await profileFor('userinfo');
    assert.equal(profile.organizationId, org.organizationId);
    assert.deepEqual(profile.rawAttributes?.schools, ['dbb0520fee83cabb6190bb52']);
    assert.equal(profile.rawAttributes?.authorized_by, 'district');
  });

  it('asks the Data API when neither the ID token nor /userinfo names a district', async () => {
    idp.setUser(student({}), { dataApiMe: { id: 'd4bc587efcd7a7240ef0d662', district: DISTRICT, type: 'user' } });
    const dataApiCalls = idp.requests.dataApi;
    assert.equal((await profileFor('data-api')).organizationId, org.organizationId);
    assert.equal(idp.requests.dataApi, dataApiCalls + 1);
  });

  it('gives up with the Data API’s answer when nobody names a district', async () => {
    idp.setUser(student({}));
    const result = await logIn('nowhere');
    assert.equal(result.code, null);
    const attempt = await latestLoginAttempt(hallpass, org.connectionId);
    assert.equal(attempt.outcome, 'failed');
    assert.equal(attempt.errorCode, 'upstream_error');
    assert.match(attempt.errorDescription ?? '', /Data API answered 404 for \/v3\.0\/me/);
  });

  for (const [spelling, group, role] of [
    ['staff', 'school_admin', 'admin'],
    ['school_admin', 'school_admin', 'admin'],
    ['district admin', 'district_admin', 'owner'],
    ['district_admin', 'district_admin', 'owner'],
    ['teacher', 'teacher', 'member'],
  ] as const) {
    it(`maps user_type "${spelling}" to the group ${group} (role ${role})`, async () => {
      idp.setUser(student({ district: DISTRICT, user_type: spelling }));
      const profile = await profileFor(`type-${spelling}`);
      assert.deepEqual(profile.groups, [group]);
      assert.equal(profile.role?.slug, role);
      assert.equal(profile.rawAttributes?.user_type, spelling, 'raw attributes keep Clever’s spelling');
    });
  }

  it('the deployment’s first Clever app keeps the short Redirect URI', async () => {
    const conn = await api(hallpass, 'GET', `/connections/${org.connectionId}`);
    assert.equal(conn.body.redirect_uri, `${hallpass.url}/sso/clever/callback`);
  });
});
