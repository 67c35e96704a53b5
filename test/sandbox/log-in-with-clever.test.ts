import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserAgent } from '../support/user-agent.ts';
import { atApp, fullApp, ids, logInWithClever, signIn, startTestSandbox } from './helpers.ts';

const { url: base, clock } = await startTestSandbox();

function authorizeUrl(params: Record<string, string>): string {
  return `${base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', ...params })}`;
}

describe('Log in with Clever: bad requests get an error page, never a redirect', () => {
  const cases: [string, string][] = [
    ['unknown client_id', authorizeUrl({ client_id: 'nobody' })],
    ['unregistered redirect_uri', authorizeUrl({ client_id: fullApp.clientId, redirect_uri: 'https://evil.example/cb' })],
    ['redirect_uri differing only by a trailing slash', authorizeUrl({ client_id: fullApp.clientId, redirect_uri: `${fullApp.primary}/` })],
    ['missing client_id', authorizeUrl({})],
    ['repeated client_id', `${authorizeUrl({ client_id: fullApp.clientId })}&client_id=reading-corner`],
    ['repeated redirect_uri', `${authorizeUrl({ client_id: fullApp.clientId, redirect_uri: fullApp.primary })}&redirect_uri=${encodeURIComponent(fullApp.secondary)}`],
    ['oversized state', authorizeUrl({ client_id: fullApp.clientId, state: 'x'.repeat(3000) })],
    ['response_type other than code', `${base}/oauth/authorize?response_type=token&client_id=${fullApp.clientId}`],
    ['missing response_type', `${base}/oauth/authorize?client_id=${fullApp.clientId}`],
    ['unknown district_id', authorizeUrl({ client_id: fullApp.clientId, district_id: '000000000000000000000000' })],
  ];
  for (const [name, url] of cases) {
    test(name, async () => {
      const response = await fetch(url, { redirect: 'manual' });
      assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
      assert.equal(response.headers.get('location'), null);
      assert.match(response.headers.get('content-type')!, /^text\/html; charset=utf-8/);
      const body = await response.text();
      assert.match(body, /<meta charset="utf-8">/);
      assert.match(body, /role="alert"/);
    });
  }

  test('the error page names the problem', async () => {
    const body = await (await fetch(authorizeUrl({ client_id: fullApp.clientId, redirect_uri: 'https://evil.example/cb' }))).text();
    assert.match(body, /https:\/\/evil\.example\/cb is not a redirect URI registered for Full App/);
  });
});

describe('Log in with Clever: the flow', () => {
  test('district_id skips the school picker; Google districts show "Log in with Google" first', async () => {
    const ua = new UserAgent();
    const page = await ua.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.rio }));
    assert.equal(page.status, 200);
    assert.match(page.body, /Distrito Río Sandbox/);
    assert.match(page.body, /Log in with Google/);
    assert.doesNotMatch(page.body, /type="password"/);
    const idp = await ua.click(page, 'Log in with Google');
    assert.match(idp.body, /Sign in with Google/);
    assert.match(idp.body, /type="password"/);
  });

  test('Active Directory districts show "Log in with Active Directory"', async () => {
    const page = await new UserAgent().get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.shelbyville }));
    assert.match(page.body, /Log in with Active Directory/);
  });

  test('Clever Passwords districts show the credentials form at once', async () => {
    const page = await new UserAgent().get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.springfield }));
    assert.match(page.body, /id="login-form"/);
    assert.doesNotMatch(page.body, /Log in with/);
  });

  test('success redirects to redirect_uri with code, scope and the state unchanged', async () => {
    const state = 'a b&c=ñ/é?<x>%20';
    const callback = await logInWithClever(base, { redirectUri: fullApp.secondary, state, username: 'nandu', password: 'pw-nandu' });
    assert.equal(`${callback.origin}${callback.pathname}`, 'http://localhost:9/secondary');
    assert.equal(callback.searchParams.get('tenant'), '1', "the redirect URI's own query is kept");
    assert.match(callback.searchParams.get('code')!, /^[0-9a-f]{32}$/);
    assert.equal(callback.searchParams.get('scope'), 'read:user_id read:sis');
    assert.equal(callback.searchParams.get('state'), state);
  });

  test('redirect_uri omitted → the primary redirect URI; no state when none was sent', async () => {
    const callback = await logInWithClever(base, { username: 'nandu', password: 'pw-nandu' });
    assert.equal(`${callback.origin}${callback.pathname}`, fullApp.primary);
    assert.equal(callback.searchParams.has('state'), false);
  });

  test('a wrong password shows the form again with an error', async () => {
    const ua = new UserAgent();
    const page = await ua.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.springfield }));
    const again = await signIn(ua, page, 'bart', 'wrong');
    assert.equal(again.status, 401);
    assert.match(again.body, /Incorrect username or password/);
    const unknown = await signIn(ua, again, 'nobody', 'pw-bart');
    assert.equal(unknown.status, 401);
    const done = await signIn(ua, unknown, 'BART', 'pw-bart');
    assert.equal(done.stopped, true, 'usernames match without regard to case');
  });

  test('users of another district cannot sign in to this one', async () => {
    const ua = new UserAgent();
    const page = await ua.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.springfield }));
    const again = await signIn(ua, page, 'nandu', 'pw-nandu');
    assert.equal(again.status, 401);
  });
});

describe('the school picker', () => {
  async function picker() {
    const ua = new UserAgent();
    const page = await ua.get(authorizeUrl({ client_id: fullApp.clientId }));
    assert.match(page.url, /\/oauth\/school-picker\?/);
    assert.match(page.body, /Find your school/);
    return { ua, page };
  }

  test('finds production districts by school name', async () => {
    const { ua, page } = await picker();
    const results = await ua.submit(page, { form: 'school-search', fields: { q: 'springfield' } });
    assert.match(results.body, /Springfield Elementary/);
    assert.match(results.body, /Springfield High/);
    const login = await ua.click(results, 'Springfield High');
    assert.match(login.body, /id="login-form"/);
    const done = await signIn(ua, login, 'bart', 'pw-bart');
    assert.equal(new URL(done.url).searchParams.has('code'), true);
  });

  test('does not find sandbox districts by school name', async () => {
    const { ua, page } = await picker();
    const results = await ua.submit(page, { form: 'school-search', fields: { q: 'Río Claro' } });
    assert.doesNotMatch(results.body, /Escuela Río Claro/);
    assert.match(results.body, /No schools match/);
  });

  test('finds sandbox districts by their district ID', async () => {
    const { ua, page } = await picker();
    const results = await ua.submit(page, { form: 'school-search', fields: { q: ids.rio } });
    const login = await ua.click(results, 'Distrito Río Sandbox');
    const done = await signIn(ua, login, 'nandu', 'pw-nandu');
    assert.equal(done.stopped, true);
  });

  test('echoes the query escaped', async () => {
    const { ua, page } = await picker();
    const results = await ua.submit(page, { form: 'school-search', fields: { q: '<script>alert(1)</script>' } });
    assert.doesNotMatch(results.body, /<script>/);
    assert.match(results.body, /&lt;script&gt;/);
  });

  test('an unknown target is an error page', async () => {
    const response = await fetch(`${base}/oauth/school-picker?target=nope`);
    assert.equal(response.status, 400);
    assert.match(await response.text(), /expired/);
  });
});

describe('the Clever session', () => {
  test('is an HttpOnly, SameSite=Lax cookie lasting two hours', async () => {
    const response = await fetch(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.springfield }));
    const cookie = response.headers.getSetCookie().join('\n');
    assert.match(cookie, /clever_sandbox_session=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Max-Age=7200/);
  });

  test('while live, login steps are skipped, even without district_id', async () => {
    const ua = new UserAgent();
    await logInWithClever(base, { ua, username: 'nandu', password: 'pw-nandu' });
    const again = await ua.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.rio }), { stopAt: atApp });
    assert.equal(again.stopped, true);
    assert.equal(again.redirects.length, 1, 'straight from /oauth/authorize to the app');
    const noDistrict = await ua.get(authorizeUrl({ client_id: fullApp.clientId }), { stopAt: atApp });
    assert.equal(noDistrict.stopped, true);
  });

  test('a request for another district asks to sign in there', async () => {
    const ua = new UserAgent();
    await logInWithClever(base, { ua, username: 'nandu', password: 'pw-nandu' });
    const page = await ua.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.springfield }), { stopAt: atApp });
    assert.equal(page.stopped, undefined);
    assert.match(page.body, /Springfield Public Schools/);
  });

  test('GET /logout ends it', async () => {
    const ua = new UserAgent();
    await logInWithClever(base, { ua, username: 'nandu', password: 'pw-nandu' });
    const out = await ua.get(`${base}/logout`);
    assert.equal(out.status, 200);
    assert.match(out.body, /logged out/);
    const page = await ua.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.rio }), { stopAt: atApp });
    assert.match(page.body, /Log in with Google/);
  });

  test('expires two hours after sign-in', async () => {
    const ua = new UserAgent();
    await logInWithClever(base, { ua, username: 'nandu', password: 'pw-nandu' });
    clock.advance(2 * 60 * 60 * 1000 - 5000);
    const live = await ua.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.rio }), { stopAt: atApp });
    assert.equal(live.stopped, true);
    clock.advance(10_000);
    const expired = await ua.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.rio }), { stopAt: atApp });
    assert.match(expired.body, /Log in with Google/);
  });
});

describe('login forms are protected against cross-site posts', () => {
  test('a post without the CSRF token is refused', async () => {
    const ua = new UserAgent();
    const page = await ua.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.springfield }));
    const refused = await ua.submit(page, { fields: { username: 'bart', password: 'pw-bart', csrf: '' }, stopAt: atApp });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /form has expired/);
  });

  test("another browser's token does not work", async () => {
    const attacker = new UserAgent();
    const attackerPage = await attacker.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.springfield }));
    const victim = new UserAgent();
    const victimPage = await victim.get(authorizeUrl({ client_id: fullApp.clientId, district_id: ids.springfield }));
    const token = /name="csrf" value="([^"]+)"/.exec(attackerPage.body)![1]!;
    const refused = await victim.submit(victimPage, { fields: { username: 'bart', password: 'pw-bart', csrf: token }, stopAt: atApp });
    assert.equal(refused.status, 403);
  });
});

describe('who may log in to which app', () => {
  test('a user type the app does not support sees a Clever error message', async () => {
    const ua = new UserAgent();
    const page = await ua.get(authorizeUrl({ client_id: 'reading-corner', district_id: ids.rio }));
    const denied = await signIn(ua, page, 'li', 'pw-li');
    assert.equal(denied.status, 403);
    assert.equal(denied.stopped, undefined);
    assert.match(denied.body, /Reading Corner does not support logins by teachers/);
  });

  test("an app the user's district has not authorized gets an error page", async () => {
    const ua = new UserAgent();
    await logInWithClever(base, { ua, username: 'nandu', password: 'pw-nandu' });
    const denied = await ua.get(authorizeUrl({ client_id: 'not-in-rio' }), { stopAt: atApp });
    assert.equal(denied.status, 403);
    assert.match(denied.body, /Distrito Río Sandbox has not authorized Not In Río/);
  });
});
