/**
 * Rate limits: per client address on the login's browser steps, per
 * `client_id` on /sso/authorize, on failed /sso/token requests (per address,
 * and per client for requests without an API key) and on failed API-key
 * authentications; each refusal is a 429 with Retry-After in the endpoint's
 * own format. The address is the peer's unless the peer is a trusted proxy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';

const APP = 'http://127.0.0.1:9/app/callback';

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers, redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function post(url: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as Record<string, string> };
}

function assertRetryAfter(headers: Headers): void {
  const seconds = Number(headers.get('retry-after'));
  assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= 60, `Retry-After: ${headers.get('retry-after')}`);
}

describe('rate limits, trusting no proxy (the default)', () => {
  let hallpass: RunningHallpass;
  before(async () => {
    hallpass = await startHallpass({
      redirectUris: [APP],
      env: {
        HALLPASS_RATE_LIMIT_LOGIN_PER_ADDRESS: '4',
        HALLPASS_RATE_LIMIT_TOKEN_FAILURES_PER_ADDRESS: '3',
        HALLPASS_RATE_LIMIT_API_AUTH_FAILURES_PER_ADDRESS: '3',
      },
    });
  });
  after(() => hallpass.close());

  it('the browser steps of a login answer a friendly 429 page past the per-address limit, whatever X-Forwarded-For claims', async () => {
    const authorize = `${hallpass.url}/sso/authorize?client_id=${hallpass.clientId}&redirect_uri=${encodeURIComponent(APP)}&response_type=code&organization=org_missing`;
    for (let i = 0; i < 2; i++) assert.equal((await get(authorize, { 'x-forwarded-for': `203.0.113.${i}` })).status, 302);
    assert.equal((await get(`${hallpass.url}/sso/clever/callback?state=unknown`)).status, 400, 'callbacks count in the same bucket');
    assert.equal((await get(`${hallpass.url}/sso/oidc/callback/conn_x?state=unknown`, { 'x-forwarded-for': '198.51.100.7' })).status, 400);
    const refused = await get(authorize, { 'x-forwarded-for': '192.0.2.99' });
    assert.equal(refused.status, 429, 'a forged X-Forwarded-For from an untrusted peer does not change the address counted');
    assertRetryAfter(refused.headers);
    assert.match(refused.headers.get('content-type') ?? '', /text\/html/);
    assert.match(refused.text, /couldn't sign you in/);
    assert.match(refused.text, /rate_limit_exceeded/);
    assert.equal((await get(`${hallpass.url}/sso/clever/callback?code=x`)).status, 429);
  });

  it('/sso/token refuses an address with too many failed requests, even its good ones, in OAuth\'s format', async () => {
    const bad = { grant_type: 'authorization_code', client_id: hallpass.clientId, client_secret: 'sk_guess', code: 'guess' };
    for (let i = 0; i < 3; i++) assert.equal((await post(`${hallpass.url}/sso/token`, bad)).body.error, 'invalid_client');
    const refused = await post(`${hallpass.url}/sso/token`, { ...bad, client_secret: hallpass.apiKey });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error, 'rate_limit_exceeded');
    assert.match(refused.body.error_description ?? '', /try again in \d+ seconds/);
    assertRetryAfter(refused.headers);
  });

  it('the management API refuses an address after too many failed authentications, in its own format', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${hallpass.url}/organizations`, { headers: { authorization: 'Bearer sk_guess' } });
      assert.equal(response.status, 401);
    }
    const refused = await fetch(`${hallpass.url}/organizations`, { headers: { authorization: `Bearer ${hallpass.apiKey}` } });
    assert.equal(refused.status, 429, 'before any key is looked up, the right one included');
    assertRetryAfter(refused.headers);
    const body = (await refused.json()) as { code: string; message: string };
    assert.equal(body.code, 'rate_limit_exceeded');
    assert.match(body.message, /try again/);
  });
});

describe('rate limits behind a trusted proxy', () => {
  let hallpass: RunningHallpass;
  before(async () => {
    hallpass = await startHallpass({
      redirectUris: [APP],
      env: {
        HALLPASS_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1',
        HALLPASS_RATE_LIMIT_LOGIN_PER_ADDRESS: '2',
        HALLPASS_RATE_LIMIT_AUTHORIZE_PER_CLIENT: '5',
        HALLPASS_RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT: '2',
        HALLPASS_RATE_LIMIT_API_AUTH_FAILURES_PER_ADDRESS: '1',
      },
    });
  });
  after(() => hallpass.close());

  it('counts each client address the proxy names, and caps the logins one client ID starts', async () => {
    const authorize = `${hallpass.url}/sso/authorize?client_id=${hallpass.clientId}&redirect_uri=${encodeURIComponent(APP)}&response_type=code&organization=org_missing`;
    const from = (address: string) => get(authorize, { 'x-forwarded-for': address });
    assert.equal((await from('203.0.113.1')).status, 302);
    assert.equal((await from('203.0.113.1')).status, 302);
    assert.equal((await from('203.0.113.1')).status, 429, 'the proxy\'s client is limited');
    assert.equal((await from('203.0.113.2')).status, 302, 'another client behind the same proxy is not');
    assert.equal((await from('203.0.113.3')).status, 302);
    assert.equal((await from('203.0.113.4')).status, 302);
    // Five logins started for this client ID (the refused one was not counted for it).
    const capped = await from('203.0.113.5');
    assert.equal(capped.status, 429, 'the per-client cap');
    assertRetryAfter(capped.headers);
  });

  it('/sso/token: failures without an API key hold back a client ID\'s PKCE-only requests, never its API-key ones', async () => {
    const pkce = { grant_type: 'authorization_code', client_id: hallpass.clientId, code: 'guess', code_verifier: 'v'.repeat(43) };
    const token = (body: Record<string, string>, address: string) => post(`${hallpass.url}/sso/token`, body, { 'x-forwarded-for': address });
    assert.equal((await token(pkce, '198.51.100.1')).body.error, 'invalid_grant');
    assert.equal((await token(pkce, '198.51.100.2')).body.error, 'invalid_grant');
    const refused = await token(pkce, '198.51.100.3');
    assert.deepEqual([refused.status, refused.body.error], [429, 'rate_limit_exceeded']);
    const withKey = await token({ ...pkce, client_secret: hallpass.apiKey }, '198.51.100.3');
    assert.deepEqual([withKey.status, withKey.body.error], [400, 'invalid_grant'], 'a valid API key is not held back');
  });

  it('the management API limits the address the proxy names', async () => {
    const as = (address: string, key: string) => fetch(`${hallpass.url}/organizations`, { headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': address } });
    assert.equal((await as('192.0.2.1', 'sk_guess')).status, 401);
    assert.equal((await as('192.0.2.1', hallpass.apiKey)).status, 429);
    assert.equal((await as('192.0.2.2', hallpass.apiKey)).status, 200);
  });
});

describe('rate limits behind a proxy that is not trusted', () => {
  let hallpass: RunningHallpass;
  before(async () => {
    hallpass = await startHallpass({ env: { HALLPASS_TRUSTED_PROXIES: '10.1.2.3', HALLPASS_RATE_LIMIT_API_AUTH_FAILURES_PER_ADDRESS: '1' } });
  });
  after(() => hallpass.close());

  it('ignores X-Forwarded-For from a peer outside the list', async () => {
    const as = (address: string, key: string) => fetch(`${hallpass.url}/organizations`, { headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': address } });
    assert.equal((await as('192.0.2.1', 'sk_guess')).status, 401);
    assert.equal((await as('192.0.2.2', hallpass.apiKey)).status, 429);
  });
});

describe('rate limits switched off', () => {
  let hallpass: RunningHallpass;
  before(async () => {
    hallpass = await startHallpass({ env: { HALLPASS_RATE_LIMIT_API_AUTH_FAILURES_PER_ADDRESS: '0' } });
  });
  after(() => hallpass.close());

  it('0 means no limit', async () => {
    for (let i = 0; i < 70; i++) assert.equal((await fetch(`${hallpass.url}/organizations`, { headers: { authorization: 'Bearer sk_guess' } })).status, 401);
  });
});
