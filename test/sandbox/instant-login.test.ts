import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserAgent } from '../support/user-agent.ts';
import { atApp, fullApp, ids, logInWithClever, redeemCode, signIn, startTestSandbox } from './helpers.ts';

const { url: base } = await startTestSandbox();

const instantLogin = (clientId: string, districtId: string) =>
  `${base}/oauth/instant-login?${new URLSearchParams({ client_id: clientId, district_id: districtId })}`;

describe('Instant Login links', () => {
  test('sign in, then the primary redirect URI with code and scope, no state', async () => {
    const ua = new UserAgent();
    const page = await ua.get(instantLogin(fullApp.clientId, ids.rio), { stopAt: atApp });
    assert.match(page.body, /Log in with Google/);
    const done = await signIn(ua, page, 'nandu', 'pw-nandu');
    const callback = new URL(done.url);
    assert.equal(`${callback.origin}${callback.pathname}`, fullApp.primary);
    assert.deepEqual([...callback.searchParams.keys()].sort(), ['code', 'scope']);
    const tokens = await redeemCode(base, callback.searchParams.get('code')!, fullApp.primary);
    assert.equal(tokens.status, 200);
  });

  test('Clever Passwords districts go straight to the form', async () => {
    const page = await new UserAgent().get(instantLogin(fullApp.clientId, ids.springfield));
    assert.match(page.body, /id="login-form"/);
  });

  test('a live session launches the app at once', async () => {
    const ua = new UserAgent();
    await logInWithClever(base, { ua, username: 'nandu', password: 'pw-nandu' });
    const page = await ua.get(instantLogin(fullApp.clientId, ids.rio), { stopAt: atApp });
    assert.equal(page.stopped, true);
    assert.equal(page.redirects.length, 1);
    assert.equal(new URL(page.url).searchParams.has('state'), false);
  });

  test('a user type the app does not support sees a Clever error message', async () => {
    const ua = new UserAgent();
    const page = await ua.get(instantLogin('reading-corner', ids.rio));
    const denied = await signIn(ua, page, 'dana', 'pw-dana');
    assert.equal(denied.status, 403);
    assert.match(denied.body, /does not support logins by district admins/);
  });

  test('an app the district has not authorized: error page', async () => {
    const ua = new UserAgent();
    const page = await ua.get(instantLogin('not-in-rio', ids.rio));
    const denied = await signIn(ua, page, 'nandu', 'pw-nandu');
    assert.equal(denied.status, 403);
    assert.match(denied.body, /has not authorized Not In Río/);
  });

  const bad: [string, string, number][] = [
    ['unknown client_id', instantLogin('nobody', ids.rio), 400],
    ['unknown district_id', instantLogin(fullApp.clientId, '000000000000000000000000'), 404],
    ['missing district_id', `${base}/oauth/instant-login?client_id=${fullApp.clientId}`, 400],
    ['repeated client_id', `${instantLogin(fullApp.clientId, ids.rio)}&client_id=${fullApp.clientId}`, 400],
  ];
  for (const [name, url, status] of bad) {
    test(`${name}: error page`, async () => {
      const response = await fetch(url, { redirect: 'manual' });
      assert.equal(response.status, status);
      assert.equal(response.headers.get('location'), null);
      assert.match(await response.text(), /role="alert"/);
    });
  }
});
