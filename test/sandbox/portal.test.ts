import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserAgent, type Page } from '../support/user-agent.ts';
import { atApp, fullApp, ids, redeemCode, signIn, startTestSandbox } from './helpers.ts';

const { url: base } = await startTestSandbox();

async function portalAs(username: string, password: string, slug = 'rio'): Promise<{ ua: UserAgent; page: Page }> {
  const ua = new UserAgent();
  const login = await ua.get(`${base}/in/${slug}`);
  const page = await signIn(ua, login, username, password);
  assert.equal(page.url, `${base}/in/${slug}`);
  return { ua, page };
}

const launchForms = (page: Page) => [...page.body.matchAll(/id="launch-([^"]+)"/g)].map((m) => m[1]);
const flaggedLinks = (page: Page) => [...page.body.matchAll(/class="unsupported" href="([^"]+)"/g)].map((m) => m[1]);

describe('the Clever Portal', () => {
  test('shows the district login page first ("Log in with Google")', async () => {
    const page = await new UserAgent().get(`${base}/in/rio`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Distrito Río Sandbox/);
    assert.match(page.body, /Log in with Google/);
  });

  test('Clever Passwords districts show the form at once', async () => {
    const page = await new UserAgent().get(`${base}/in/springfield`);
    assert.match(page.body, /id="login-form"/);
  });

  test('an unknown portal is a 404 page', async () => {
    const response = await fetch(`${base}/in/nowhere`);
    assert.equal(response.status, 404);
    assert.match(await response.text(), /no Clever portal at \/in\/nowhere/);
  });

  test('students see only apps supporting students, of their district', async () => {
    const { page } = await portalAs('nandu', 'pw-nandu');
    assert.match(page.body, /Ñandú Pérez/);
    assert.deepEqual(launchForms(page), ['full-app', 'reading-corner']);
    assert.deepEqual(flaggedLinks(page), []);
  });

  test('teachers do not see apps that do not support teachers', async () => {
    const { page } = await portalAs('li', 'pw-li');
    assert.deepEqual(launchForms(page), ['full-app']);
    assert.deepEqual(flaggedLinks(page), []);
    assert.doesNotMatch(page.body, /Reading Corner/);
  });

  for (const [who, username, password, label] of [
    ['district admins', 'dana', 'pw-dana', 'district admins'],
    ['school admins', 'sam', 'pw-sam', 'school admins'],
  ] as const) {
    test(`${who} see unsupported apps flagged, linking to the app's website`, async () => {
      const { page } = await portalAs(username, password);
      assert.deepEqual(launchForms(page), ['full-app']);
      // The tile is a plain link to the website: clicking it signs no one in.
      assert.match(page.body, /<a class="unsupported" href="https:\/\/reading\.example\/">Reading Corner<\/a>/);
      assert.deepEqual(flaggedLinks(page), ['https://reading.example/']);
      assert.match(page.body, new RegExp(`SSO is not supported for ${label}`));
    });
  }

  test('launching an app → its primary redirect URI with code and scope, no state', async () => {
    const { ua, page } = await portalAs('nandu', 'pw-nandu');
    const launched = await ua.submit(page, { form: 'launch-full-app', stopAt: atApp });
    const callback = new URL(launched.url);
    assert.equal(`${callback.origin}${callback.pathname}`, fullApp.primary);
    assert.deepEqual([...callback.searchParams.keys()].sort(), ['code', 'scope']);
    const response = await redeemCode(base, callback.searchParams.get('code')!, fullApp.primary);
    assert.equal(response.status, 200);
    const production = await ua.submit(page, { form: 'launch-reading-corner', stopAt: atApp });
    assert.match(production.url, /^https:\/\/reading\.example\/clever\?code=/);
  });

  test('the portal session also serves Instant Login', async () => {
    const { ua } = await portalAs('nandu', 'pw-nandu');
    const page = await ua.get(`${base}/oauth/instant-login?client_id=full-app&district_id=${ids.rio}`, { stopAt: atApp });
    assert.equal(page.stopped, true);
  });

  test('a launch without the CSRF token is refused', async () => {
    const { ua, page } = await portalAs('nandu', 'pw-nandu');
    const refused = await ua.submit(page, { form: 'launch-full-app', fields: { csrf: 'forged' }, stopAt: atApp });
    assert.equal(refused.status, 403);
  });

  test('a launch of an app the user type may not use is refused', async () => {
    const { ua, page } = await portalAs('li', 'pw-li');
    const refused = await ua.submit(page, { form: 'launch-full-app', fields: { client_id: 'reading-corner' }, stopAt: atApp });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /does not support logins by teachers/);
  });

  test('a portal session in one district does not open another district', async () => {
    const { ua } = await portalAs('nandu', 'pw-nandu');
    const other = await ua.get(`${base}/in/springfield`);
    assert.match(other.body, /id="login-form"/);
  });

  test('after logout the portal asks to sign in again', async () => {
    const { ua } = await portalAs('nandu', 'pw-nandu');
    await ua.get(`${base}/logout`);
    const page = await ua.get(`${base}/in/rio`);
    assert.match(page.body, /Log in with Google/);
  });
});
