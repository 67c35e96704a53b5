/**
 * Several Clever apps in one sandbox (issue 8), on the fixture broker tests
 * use (test/support/clever-seed.ts): each app has its own client ID, secret
 * and redirect URIs and its own districts; Portal tiles and Instant Login
 * links of each app lead to that app's primary redirect URI, with a code only
 * that app can redeem, also when launches of all three interleave.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { SEVERAL_APPS, SEVERAL_APPS_PASSWORD, severalAppsSeed, type FixtureApp, type FixtureDistrict, type FixtureUser } from '../support/clever-seed.ts';
import { UserAgent, type Page } from '../support/user-agent.ts';
import { atApp, basicAuth, signIn, startTestSandbox } from './helpers.ts';

const primary = (app: FixtureApp) => `http://localhost:9/sso/clever/callback/${app.key}`;
const secondary = (app: FixtureApp) => `http://127.0.0.1:9/other/${app.key}`;
const [alpha, beta, gamma] = SEVERAL_APPS as [FixtureApp, FixtureApp, FixtureApp];

const seed = severalAppsSeed((app) => [primary(app), secondary(app)]);
// One district that authorized two apps: the portal must keep their tiles apart.
const shared = alpha.districts[0]!;
seed.apps.find((a) => a.client_id === beta.clientId)!.districts.push(shared.id);
const { url: base } = await startTestSandbox(seed);

async function redeem(app: FixtureApp, code: string, redirectUri: string) {
  return fetch(`${base}/oauth/tokens`, {
    method: 'POST',
    headers: { authorization: basicAuth(app.clientId, app.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
  });
}

/** The callback a launch ended on must be the app's primary URI; its code redeems for that app only. */
async function assertLaunchOf(app: FixtureApp, callback: string, user: FixtureUser) {
  const url = new URL(callback);
  assert.equal(`${url.origin}${url.pathname}`, primary(app), `launch of ${app.key}`);
  assert.equal(url.searchParams.has('state'), false);
  const response = await redeem(app, url.searchParams.get('code')!, primary(app));
  assert.equal(response.status, 200);
  const claims = decodeJwt(((await response.json()) as { id_token: string }).id_token);
  assert.equal(claims.aud, app.clientId);
  assert.equal(claims.sub, user.id);
  return { claims };
}

async function instantLogin(ua: UserAgent, app: FixtureApp, district: FixtureDistrict): Promise<Page> {
  return ua.get(`${base}/oauth/instant-login?client_id=${app.clientId}&district_id=${district.id}`, { stopAt: atApp });
}

describe('several Clever apps in one sandbox', () => {
  test('each district authorized only its own apps', () => {
    for (const app of SEVERAL_APPS) {
      const seeded = seed.apps.find((a) => a.client_id === app.clientId)!;
      assert.deepEqual(seeded.redirect_uris, [primary(app), secondary(app)]);
      for (const district of app.districts) assert.ok(seeded.districts.includes(district.id));
    }
    assert.deepEqual(seed.apps.find((a) => a.client_id === gamma.clientId)!.districts, [gamma.districts[0]!.id]);
  });

  test("Instant Login of each app, for each of its districts and every kind of user, lands on that app's primary redirect URI", async () => {
    for (const app of SEVERAL_APPS) {
      for (const district of app.districts) {
        const expectedTypes = { student: 'student', teacher: 'teacher', staff: 'staff', districtAdmin: 'district admin', multiRole: 'teacher' };
        for (const [kind, user] of Object.entries(district.users) as [keyof FixtureDistrict['users'], FixtureUser][]) {
          const ua = new UserAgent();
          let page = await signIn(ua, await instantLogin(ua, app, district), user.username, SEVERAL_APPS_PASSWORD);
          if (kind === 'multiRole') page = await ua.submit(page, { form: 'role-teacher', stopAt: atApp });
          assert.equal(page.stopped, true, `${app.key}/${district.slug}/${kind}: ${page.url}`);
          const { claims } = await assertLaunchOf(app, page.url, user);
          assert.equal(claims.user_type, expectedTypes[kind]);
          assert.equal(claims.district, district.id);
        }
      }
    }
  });

  test("another app's credentials cannot redeem an app's code", async () => {
    const user = alpha.districts[1]!.users.student;
    const ua = new UserAgent();
    const page = await signIn(ua, await instantLogin(ua, alpha, alpha.districts[1]!), user.username, SEVERAL_APPS_PASSWORD);
    const code = new URL(page.url).searchParams.get('code')!;
    const refused = await redeem(beta, code, primary(alpha));
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: 'invalid_grant' });
  });

  test('an app a district did not authorize cannot be launched there', async () => {
    const ua = new UserAgent();
    const district = gamma.districts[0]!;
    const page = await signIn(ua, await instantLogin(ua, alpha, district), district.users.teacher.username, SEVERAL_APPS_PASSWORD);
    assert.equal(page.status, 403);
    assert.match(page.body, /has not authorized Alpha Reading/);
  });

  test('the portal of a district with two apps shows both tiles; each tile launches its own app', async () => {
    const user = shared.users.teacher;
    const ua = new UserAgent();
    const portal = await signIn(ua, await ua.get(`${base}/in/${shared.slug}`), user.username, SEVERAL_APPS_PASSWORD);
    const tiles = [...portal.body.matchAll(/id="launch-([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(tiles, [alpha.clientId, beta.clientId]);
    for (const app of [beta, alpha, beta]) {
      const launched = await ua.submit(await ua.get(`${base}/in/${shared.slug}`), { form: `launch-${app.clientId}`, stopAt: atApp });
      await assertLaunchOf(app, launched.url, user);
    }
  });

  test('launches of all three apps, interleaved across browsers and doors, each reach their own app', async () => {
    type Launch = { app: FixtureApp; district: FixtureDistrict; user: FixtureUser; ua: UserAgent; page?: Page; door: string };
    const launches: Launch[] = SEVERAL_APPS.flatMap((app) =>
      app.districts.flatMap((district) => [
        { app, district, user: district.users.student, ua: new UserAgent(), door: 'instant' },
        { app, district, user: district.users.staff, ua: new UserAgent(), door: 'portal' },
        { app, district, user: district.users.districtAdmin, ua: new UserAgent(), door: 'authorize' },
      ]),
    );
    // Every browser first reaches its login page, then all sign in, in reverse order.
    await Promise.all(
      launches.map(async (l) => {
        if (l.door === 'instant') l.page = await instantLogin(l.ua, l.app, l.district);
        else if (l.door === 'portal') l.page = await l.ua.get(`${base}/in/${l.district.slug}`);
        else l.page = await l.ua.get(`${base}/oauth/authorize?response_type=code&client_id=${l.app.clientId}&district_id=${l.district.id}&state=${l.app.key}`, { stopAt: atApp });
      }),
    );
    await Promise.all(
      [...launches].reverse().map(async (l) => {
        let page = await signIn(l.ua, l.page!, l.user.username, SEVERAL_APPS_PASSWORD);
        if (l.door === 'portal') page = await l.ua.submit(page, { form: `launch-${l.app.clientId}`, stopAt: atApp });
        assert.equal(page.stopped, true, `${l.app.key}/${l.district.slug}/${l.door}: ${page.status} ${page.url}`);
        if (l.door === 'authorize') {
          // Log in with Clever keeps its state and, without redirect_uri, also uses the primary URI.
          assert.equal(new URL(page.url).searchParams.get('state'), l.app.key);
          const url = new URL(page.url);
          url.searchParams.delete('state');
          page = { ...page, url: url.href };
        }
        await assertLaunchOf(l.app, page.url, l.user);
      }),
    );
  });

  test("an app's redirect URIs can be set once the broker's are known; launches follow", async () => {
    const later = await startTestSandbox(severalAppsSeed((app) => [`http://localhost:9/not-yet/${app.key}`]));
    const district = gamma.districts[0]!;
    const launch = async () => {
      const ua = new UserAgent();
      const page = await ua.get(`${later.url}/oauth/instant-login?client_id=${gamma.clientId}&district_id=${district.id}`, { stopAt: atApp });
      const done = await signIn(ua, page, district.users.student.username, SEVERAL_APPS_PASSWORD);
      const url = new URL(done.url);
      return `${url.origin}${url.pathname}`;
    };
    assert.equal(await launch(), 'http://localhost:9/not-yet/gamma');
    later.sandbox.setRedirectUris(gamma.clientId, [primary(gamma), secondary(gamma)]);
    assert.equal(await launch(), primary(gamma));
    assert.throws(() => later.sandbox.setRedirectUris('nobody', [primary(gamma)]), /no app has the client_id nobody/);
    assert.throws(() => later.sandbox.setRedirectUris(gamma.clientId, ['javascript:alert(1)']), /must be an http or https URL/);
    assert.throws(() => later.sandbox.setRedirectUris(gamma.clientId, []), /at least one redirect URI/);
    assert.equal(await launch(), primary(gamma));
  });

  test('the legacy claim shape is one option away', async () => {
    const legacy = await startTestSandbox(severalAppsSeed((app) => [primary(app)], { claims: 'legacy' }));
    const district = beta.districts[0]!;
    const ua = new UserAgent();
    const page = await signIn(ua, await ua.get(`${legacy.url}/oauth/instant-login?client_id=${beta.clientId}&district_id=${district.id}`, { stopAt: atApp }), district.users.staff.username, SEVERAL_APPS_PASSWORD);
    const response = await fetch(`${legacy.url}/oauth/tokens`, {
      method: 'POST',
      headers: { authorization: basicAuth(beta.clientId, beta.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: new URL(page.url).searchParams.get('code')!, redirect_uri: primary(beta) }),
    });
    const claims = decodeJwt(((await response.json()) as { id_token: string }).id_token);
    assert.deepEqual([claims.user_type, claims.district_id, claims.district], ['school_admin', district.id, undefined]);
  });
});
