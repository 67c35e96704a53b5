/**
 * Bad input to every endpoint gets a Clever-style error — JSON on API
 * endpoints, an HTML page on browser pages — and never a 500 or a stack trace.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserAgent } from '../support/user-agent.ts';
import { fullApp, ids, startTestSandbox } from './helpers.ts';

const { url: base } = await startTestSandbox();

// A real login target, so the login pages get past "expired" to the parameter checks.
const ua = new UserAgent();
const loginPage = await ua.get(`${base}/oauth/authorize?response_type=code&client_id=full-app&district_id=${ids.springfield}`);
const target = /name="target" value="([^"]+)"/.exec(loginPage.body)![1]!;
const long = 'x'.repeat(3000);

interface Case {
  name: string;
  method?: string;
  path: string;
  body?: string;
  type?: string;
  status: number;
  json?: boolean;
}

const cases: Case[] = [
  // Wrong methods.
  { name: 'POST /', method: 'POST', path: '/', status: 405 },
  { name: 'DELETE /oauth/authorize', method: 'DELETE', path: '/oauth/authorize', status: 405 },
  { name: 'PUT /oauth/tokens', method: 'PUT', path: '/oauth/tokens', status: 405, json: true },
  { name: 'POST /.well-known/openid-configuration', method: 'POST', path: '/.well-known/openid-configuration', status: 405, json: true },
  { name: 'DELETE /oauth/certs', method: 'DELETE', path: '/oauth/certs', status: 405, json: true },
  { name: 'PATCH /userinfo', method: 'PATCH', path: '/userinfo', status: 405, json: true },
  { name: 'POST /v3.0/me', method: 'POST', path: '/v3.0/me', status: 405, json: true },
  { name: 'GET /oauth/login', path: '/oauth/login', status: 405 },
  { name: 'GET /in/rio/launch', path: '/in/rio/launch', status: 405 },
  { name: 'POST /logout', method: 'POST', path: '/logout', status: 405 },
  // Unknown paths.
  { name: 'unknown page', path: '/nope', status: 404 },
  { name: 'unknown API path', path: '/v3.0/nope/deeper', status: 404, json: true },
  { name: 'overlong portal slug', path: `/in/${'a'.repeat(500)}`, status: 404 },
  // Missing, repeated and oversized parameters on every page.
  { name: 'school picker without target', path: '/oauth/school-picker', status: 400 },
  { name: 'school picker with repeated q', path: `/oauth/school-picker?target=${target}&q=a&q=b`, status: 400 },
  { name: 'school picker with oversized q', path: `/oauth/school-picker?target=${target}&q=${long}`, status: 400 },
  { name: 'district login without district_id', path: `/oauth/district-login?target=${target}`, status: 400 },
  { name: 'district login for another district', path: `/oauth/district-login?target=${target}&district_id=${ids.rio}`, status: 400 },
  { name: 'district login with repeated target', path: `/oauth/district-login?target=${target}&target=${target}&district_id=${ids.springfield}`, status: 400 },
  { name: 'idp login with unknown district', path: `/oauth/idp-login?target=${target}&district_id=000000000000000000000000`, status: 404 },
  { name: 'idp login with expired target', path: `/oauth/idp-login?target=gone&district_id=${ids.springfield}`, status: 400 },
  { name: 'select role without target', path: '/oauth/select-role', status: 400 },
  { name: 'select role with unknown target', path: '/oauth/select-role?target=gone', status: 400 },
  { name: 'authorize with malformed percent-encoding', path: '/oauth/authorize?client_id=%E0%A4%A&response_type=code', status: 400 },
  { name: 'instant login with oversized client_id', path: `/oauth/instant-login?client_id=${long}&district_id=${ids.rio}`, status: 400 },
  // Bad bodies to the forms.
  { name: 'login post without a body', method: 'POST', path: '/oauth/login', status: 400 },
  { name: 'login post with JSON garbage', method: 'POST', path: '/oauth/login', body: '{"target":', type: 'application/json', status: 400 },
  { name: 'login post with multipart', method: 'POST', path: '/oauth/login', body: '--x--', type: 'multipart/form-data; boundary=x', status: 400 },
  { name: 'login post over the body limit', method: 'POST', path: '/oauth/login', body: `target=${'x'.repeat(20_000)}`, type: 'application/x-www-form-urlencoded', status: 413 },
  { name: 'login post with a forged CSRF token', method: 'POST', path: '/oauth/login', body: `target=${target}&district_id=${ids.springfield}&username=bart&password=pw-bart&csrf=x`, type: 'application/x-www-form-urlencoded', status: 403 },
  { name: 'role post without fields', method: 'POST', path: '/oauth/select-role', body: '', type: 'application/x-www-form-urlencoded', status: 400 },
  { name: 'portal launch without a session', method: 'POST', path: '/in/rio/launch', body: 'client_id=full-app', type: 'application/x-www-form-urlencoded', status: 403 },
  { name: 'portal launch for an unknown district', method: 'POST', path: '/in/nowhere/launch', body: 'client_id=full-app', type: 'application/x-www-form-urlencoded', status: 404 },
  // API endpoints.
  { name: 'userinfo POST with bad JSON', method: 'POST', path: '/userinfo', body: '{', type: 'application/json', status: 400, json: true },
  { name: 'userinfo POST with an unknown content type', method: 'POST', path: '/userinfo', body: 'x', type: 'application/xml', status: 400, json: true },
  { name: 'tokens with a JSON null body', method: 'POST', path: '/oauth/tokens', body: 'null', type: 'application/json', status: 401, json: true },
  { name: 'users with an overlong id', path: `/v3.0/users/${'a'.repeat(500)}`, status: 404, json: true },
];

describe('bad input never breaks the sandbox', () => {
  for (const c of cases) {
    test(`${c.name} → ${c.status}`, async () => {
      const headers: Record<string, string> = c.type ? { 'content-type': c.type } : {};
      const cookie = ua.cookie(base, 'clever_sandbox_session');
      if (cookie) headers.cookie = `clever_sandbox_session=${cookie}`;
      const response = await fetch(`${base}${c.path}`, { method: c.method ?? 'GET', headers, body: c.body ?? null, redirect: 'manual' });
      const text = await response.text();
      assert.equal(response.status, c.status, text.slice(0, 300));
      assert.doesNotMatch(text, /\bat .+\.(ts|js):\d+/, 'no stack trace');
      if (c.json) {
        assert.match(response.headers.get('content-type')!, /^application\/json/);
        assert.equal(typeof (JSON.parse(text) as { error: unknown }).error, 'string');
      } else {
        assert.match(response.headers.get('content-type')!, /^text\/html; charset=utf-8/);
        assert.match(text, /<meta charset="utf-8">/);
        assert.match(text, /role="alert"/);
      }
    });
  }

  test('405 answers name the allowed methods', async () => {
    const response = await fetch(`${base}/userinfo`, { method: 'DELETE' });
    assert.equal(response.headers.get('allow'), 'GET, HEAD, POST');
  });

  test('HEAD works wherever GET does', async () => {
    const response = await fetch(`${base}/`, { method: 'HEAD' });
    assert.equal(response.status, 200);
  });
});

describe('pages are safe to show', () => {
  test('security headers on pages', async () => {
    const response = await fetch(`${base}/`);
    assert.match(response.headers.get('content-security-policy')!, /default-src 'none'/);
    assert.match(response.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  test('seed text is escaped, UTF-8 intact', async () => {
    const body = await (await fetch(`${base}/`)).text();
    assert.match(body, /&lt;b&gt;Brontë&lt;\/b&gt;/);
    assert.doesNotMatch(body, /<b>Brontë<\/b>/);
    assert.match(body, /李/);
    assert.match(body, /Ñandú/);
  });

  test('error pages escape what they echo', async () => {
    const body = await (await fetch(`${base}/oauth/authorize?response_type=code&client_id=${encodeURIComponent('<img src=x>')}`)).text();
    assert.doesNotMatch(body, /<img src=x>/);
    assert.match(body, /&lt;img src=x&gt;/);
  });
});

describe('the home page', () => {
  test('lists districts, users with sign-in names and passwords, apps and ready-made links', async () => {
    const page = await new UserAgent().get(`${base}/`);
    assert.equal(page.status, 200);
    for (const text of ['Distrito Río Sandbox', ids.rio, 'Springfield Public Schools', 'nandu', 'pw-nandu', '明', 'Full App', fullApp.clientId, fullApp.secret, '(primary)']) {
      assert.ok(page.body.includes(text), text);
    }
    const ua2 = new UserAgent();
    const instant = await ua2.click(page, 'Instant Login: Distrito Río Sandbox');
    assert.match(instant.body, /Log in with Google/);
    const liwc = await ua2.click(page, 'Log in with Clever: Springfield Public Schools');
    assert.match(liwc.body, /id="login-form"/);
    const picker = await ua2.click(page, 'Log in with Clever: Full App');
    assert.match(picker.body, /Find your school/);
  });
});
