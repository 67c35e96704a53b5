/**
 * The dashboard's doors: sign-in makes a new session, sign-out ends it on the
 * server, forged cross-site posts are refused, wrong passwords are slowed and
 * then refused, nothing opens without a session, and the dashboard and the
 * management API do not accept each other's credentials.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { build } from '../../src/server.ts';
import { createTestAdmin, signIn, type TestAdmin } from '../support/dashboard.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent } from '../support/user-agent.ts';

const SESSION_COOKIE = 'hallpass_admin';

describe('dashboard security', () => {
  let hallpass: RunningHallpass;
  let admin: TestAdmin;
  let clock = Date.now();

  before(async () => {
    hallpass = await startHallpass({
      now: () => clock,
      env: { HALLPASS_SIGN_IN_SLOW_AFTER: '2', HALLPASS_SIGN_IN_LOCK_AFTER: '4', HALLPASS_SIGN_IN_LOCK_MINUTES: '15' },
    });
    admin = await createTestAdmin(hallpass);
  });
  after(() => hallpass?.close());

  it('sends every dashboard page without a session to sign-in, and back after it', async () => {
    for (const path of ['/dashboard', '/dashboard/organizations', '/dashboard/organizations/new', '/dashboard/organizations/org_x', '/dashboard/connections/conn_x', '/dashboard/settings/admins', '/dashboard/test-sso/result?code=x']) {
      const response = await fetch(`${hallpass.url}${path}`, { redirect: 'manual' });
      assert.equal(response.status, 303, path);
      assert.equal(new URL(response.headers.get('location')!, hallpass.url).pathname, '/dashboard/sign-in', path);
    }
    const ua = new UserAgent();
    const landed = await signIn(ua, hallpass, admin, '/dashboard/settings/admins');
    assert.equal(new URL(landed.url).pathname, '/dashboard/settings/admins');
    assert.match(landed.body, /<h1>Admins<\/h1>/);
  });

  it('sends a browser at / to the dashboard; API clients still get JSON', async () => {
    const browser = await fetch(`${hallpass.url}/`, { redirect: 'manual', headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(browser.status, 302);
    assert.equal(browser.headers.get('location'), '/dashboard');
    const api = await fetch(`${hallpass.url}/`);
    assert.equal(api.status, 404);
    assert.equal((await api.json()).code, 'entity_not_found');
  });

  it('gives a new session ID at sign-in, with an HttpOnly SameSite=Lax cookie', async () => {
    const ua = new UserAgent();
    const form = await ua.get(`${hallpass.url}/dashboard/sign-in`);
    await ua.submit(form, { fields: { email: admin.email, password: admin.password } });
    const first = ua.cookie(hallpass.url, SESSION_COOKIE);
    assert.ok(first);
    // Signing in again from the same browser (the form still open in another tab) replaces the session and ends the old one.
    const response = await ua.submit(form, { fields: { email: admin.email, password: admin.password } });
    assert.equal(response.status, 200);
    const second = ua.cookie(hallpass.url, SESSION_COOKIE);
    assert.ok(second);
    assert.notEqual(second, first);
    const stale = await fetch(`${hallpass.url}/dashboard/organizations`, { redirect: 'manual', headers: { cookie: `${SESSION_COOKIE}=${first}` } });
    assert.equal(stale.status, 303);

    const fresh = await new UserAgent().get(`${hallpass.url}/dashboard/sign-in`);
    const csrfCookie = fresh.headers.getSetCookie().find((c) => c.startsWith('hallpass_csrf='))!;
    assert.match(csrfCookie, /HttpOnly/i);
    const signInResponse = await fetch(`${hallpass.url}/dashboard/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie.split(';')[0]! },
      body: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(fresh.body)![1]!, email: admin.email, password: admin.password }),
    });
    assert.equal(signInResponse.status, 303);
    const sessionCookie = signInResponse.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    assert.match(sessionCookie, /HttpOnly/i);
    assert.match(sessionCookie, /SameSite=Lax/i);
    assert.doesNotMatch(sessionCookie, /Secure/i, 'plain http in tests: Secure only over https');
  });

  it('ends the session on the server at sign-out: the old cookie opens nothing', async () => {
    const ua = new UserAgent();
    const page = await signIn(ua, hallpass, admin);
    const cookie = ua.cookie(hallpass.url, SESSION_COOKIE)!;
    const out = await ua.submit(page, { form: '/dashboard/sign-out' });
    assert.match(out.body, /You are signed out/);
    for (const path of ['/dashboard/organizations', '/dashboard/settings/admins']) {
      const response = await fetch(`${hallpass.url}${path}`, { redirect: 'manual', headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
      assert.equal(response.status, 303, path);
    }
  });

  it('refuses a forged cross-site POST', async () => {
    const ua = new UserAgent();
    const page = await signIn(ua, hallpass, admin, '/dashboard/settings/admins');
    const cookies = ['hallpass_admin', 'hallpass_csrf'].map((name) => `${name}=${ua.cookie(hallpass.url, name)}`).join('; ');
    // What a hostile page can send: the browser's cookies (if it carried them), but no token.
    for (const body of [new URLSearchParams({ email: 'attacker@evil.example' }), new URLSearchParams({ email: 'attacker@evil.example', _csrf: 'forged' })]) {
      const response = await fetch(`${hallpass.url}/dashboard/settings/admins/invite`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies, origin: 'https://evil.example' },
        body,
      });
      assert.equal(response.status, 403);
      assert.match(await response.text(), /security token/);
    }
    assert.equal((await hallpass.store.adminInvites.listPending(new Date(clock))).length, 0);
    // The same form with its token works.
    const invited = await ua.submit(page, { form: '/dashboard/settings/admins/invite', fields: { email: 'friend@school.example' } });
    assert.equal(invited.status, 200);
    assert.match(invited.body, /\/dashboard\/invite\/invite_/);
  });

  it('slows down, then refuses, repeated wrong passwords for one account', async () => {
    const victim = await createTestAdmin(hallpass);
    const ua = new UserAgent();
    const attempt = async (password: string) => {
      const form = await ua.get(`${hallpass.url}/dashboard/sign-in`);
      return ua.submit(form, { fields: { email: victim.email, password } });
    };
    assert.equal((await attempt('wrong 1')).status, 401);
    assert.equal((await attempt('wrong 2')).status, 401);
    // Slowed: the next try within a second is refused without checking, even with the right password.
    const slowed = await attempt(victim.password);
    assert.equal(slowed.status, 429);
    assert.match(slowed.body, /Wait 1 second/);
    clock += 1_100;
    assert.equal((await attempt('wrong 3')).status, 401);
    clock += 2_100;
    assert.equal((await attempt('wrong 4')).status, 401);
    // Locked: refused for 15 minutes, the right password included.
    clock += 60_000;
    const locked = await attempt(victim.password);
    assert.equal(locked.status, 429);
    assert.match(locked.body, /locked for 14 minutes/);
    assert.equal(locked.headers.get('retry-after'), String(14 * 60));
    clock += 15 * 60_000;
    const after = await attempt(victim.password);
    assert.equal(after.status, 200);
    assert.equal(new URL(after.url).pathname, '/dashboard/organizations');
  });

  it('opens no dashboard page with an API key, and no API endpoint with a dashboard session', async () => {
    const withKey = await fetch(`${hallpass.url}/dashboard/organizations`, { redirect: 'manual', headers: { authorization: `Bearer ${hallpass.apiKey}` } });
    assert.equal(withKey.status, 303);
    const ua = new UserAgent();
    await signIn(ua, hallpass, admin);
    const cookies = ['hallpass_admin', 'hallpass_csrf'].map((name) => `${name}=${ua.cookie(hallpass.url, name)}`).join('; ');
    for (const path of ['/organizations', '/connections']) {
      const response = await fetch(`${hallpass.url}${path}`, { headers: { cookie: cookies } });
      assert.equal(response.status, 401, path);
    }
  });

  it('over https, prefixes both cookies with __Host- and marks them Secure', async () => {
    const app = await build({ ...hallpass.ctx, config: Object.freeze({ ...hallpass.ctx.config, publicUrl: 'https://sso.example' }) });
    try {
      const form = await app.inject({ method: 'GET', url: '/dashboard/sign-in' });
      const csrfCookie = form.headers['set-cookie'] as string;
      assert.match(csrfCookie, /^__Host-hallpass_csrf=[^;]+;.*Path=\/;.*HttpOnly;.*Secure;.*SameSite=Lax/);
      const signedIn = await app.inject({
        method: 'POST',
        url: '/dashboard/sign-in',
        headers: { cookie: csrfCookie.split(';')[0]! },
        payload: { _csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!, email: admin.email, password: admin.password },
      });
      assert.equal(signedIn.statusCode, 303, signedIn.body);
      const sessionCookie = ([signedIn.headers['set-cookie']].flat() as string[]).find((c) => c.includes('hallpass_admin'))!;
      assert.match(sessionCookie, /^__Host-hallpass_admin=[^;]+;.*Path=\/;.*HttpOnly;.*Secure;.*SameSite=Lax/);
      // The plain name means nothing over https: only the prefixed cookie opens pages.
      const plain = await app.inject({ method: 'GET', url: '/dashboard/organizations', headers: { cookie: sessionCookie.split(';')[0]!.replace('__Host-', '') } });
      assert.equal(plain.statusCode, 303);
      const prefixed = await app.inject({ method: 'GET', url: '/dashboard/organizations', headers: { cookie: sessionCookie.split(';')[0]! } });
      assert.equal(prefixed.statusCode, 200);
    } finally {
      await app.close();
    }
  });

  it('answers an unknown dashboard address with a 404 page', async () => {
    const ua = new UserAgent();
    await signIn(ua, hallpass, admin);
    const page = await ua.get(`${hallpass.url}/dashboard/no-such-page`);
    assert.equal(page.status, 404);
    assert.match(page.body, /<h1>Not found<\/h1>/);
  });
});
