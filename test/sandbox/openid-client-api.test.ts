/**
 * What a real client library (openid-client) sees of the sandbox's API
 * side: `/userinfo` in Clever's current shape, JSON errors on every Data API
 * path, `unsupported_grant_type` before any other check, and the rate limit
 * Clever reports (1,200 requests a minute per bearer token).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as client from 'openid-client';
import { UserAgent } from '../support/user-agent.ts';
import { atApp, fullApp, ids, signIn, startTestSandbox } from './helpers.ts';

const smallLimit = 3;
const standard = await startTestSandbox();
const limited = await startTestSandbox(undefined, { settings: { rateLimit: { max: smallLimit } } });

async function discover(base: string, secret: string = fullApp.secret) {
  return client.discovery(new URL(base), fullApp.clientId, undefined, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
}

/** A whole "Log in with Clever" through openid-client; returns its configuration and tokens. */
async function login(base: string, username = 'nandu') {
  const config = await discover(base);
  const checks = { state: client.randomState(), nonce: client.randomNonce() };
  const url = client.buildAuthorizationUrl(config, { redirect_uri: fullApp.primary, scope: 'openid', district_id: ids.rio, ...checks });
  const ua = new UserAgent();
  const done = await signIn(ua, await ua.get(url.href, { stopAt: atApp }), username, `pw-${username}`);
  const tokens = await client.authorizationCodeGrant(config, new URL(done.url), { expectedState: checks.state, expectedNonce: checks.nonce });
  return { config, tokens };
}

const get = (config: client.Configuration, token: string, path: string) => client.fetchProtectedResource(config, token, new URL(path, config.serverMetadata().issuer), 'GET');

describe('/userinfo through openid-client', () => {
  test('answers every field of Clever\'s example, for the ID token\'s subject', async () => {
    const { config, tokens } = await login(standard.url, 'li');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    assert.deepEqual(Object.keys(userinfo).sort(), [
      'authorized_by', 'district', 'district_id', 'email', 'email_verified', 'family_name', 'given_name',
      'multi_role_user_id', 'name', 'schools', 'sub', 'user_id', 'user_type',
    ]);
    assert.equal(userinfo.user_type, 'teacher');
    assert.equal(userinfo.district, ids.rio);
    assert.equal(userinfo.district_id, ids.rio);
    assert.deepEqual(userinfo.name, { first: '明', last: '李', middle: '' });
    assert.deepEqual(userinfo.schools, ['56fc1aa290432f7115705065']);
    assert.equal(userinfo.authorized_by, 'district');
  });

  test('another subject is caught by the client', async () => {
    const { config, tokens } = await login(standard.url);
    await assert.rejects(client.fetchUserInfo(config, tokens.access_token, ids.zoe), (err: Error) => /"sub" property value/.test(String((err.cause as Error).message)));
  });
});

describe('Data API paths answer JSON errors, never HTML', () => {
  const paths = ['/v1.1/me', '/v1.2/students/123', '/v2.0/me', '/v2.1/users', '/v3.0/sections', '/v3.0/me/extra', '/v3.1/me', '/v9/anything', '/v3.0'];
  for (const path of paths) {
    test(`${path} → 404 JSON`, async () => {
      const { config, tokens } = await login(standard.url);
      const response = await get(config, tokens.access_token, path);
      assert.equal(response.status, 404);
      assert.match(response.headers.get('content-type')!, /^application\/json/);
      const body = (await response.json()) as { error: string; error_description: string };
      assert.equal(body.error, 'not_found');
      assert.match(body.error_description, /\/v3\.0\/me/);
    });
  }

  test('a wrong method on a Data API path, and a missing token, are JSON too', async () => {
    const post = await fetch(`${standard.url}/v1.2/students`, { method: 'POST', body: '<xml/>', headers: { 'content-type': 'application/xml' } });
    assert.equal(post.status, 404);
    assert.match(post.headers.get('content-type')!, /^application\/json/);
    const noToken = await fetch(`${standard.url}/v3.0/me`);
    assert.equal(noToken.status, 401);
    assert.match(noToken.headers.get('content-type')!, /^application\/json/);
  });
});

describe('a grant_type other than authorization_code', () => {
  test('refresh_token, client_credentials and others get unsupported_grant_type', async () => {
    const config = await discover(standard.url);
    const isUnsupported = (err: client.ResponseBodyError) => err.error === 'unsupported_grant_type' && err.status === 400;
    await assert.rejects(client.refreshTokenGrant(config, 'a-refresh-token'), isUnsupported);
    await assert.rejects(client.clientCredentialsGrant(config), isUnsupported);
    await assert.rejects(client.genericGrantRequest(config, 'password', { username: 'nandu', password: 'pw-nandu' }), isUnsupported);
  });

  test('is refused before the client is authenticated', async () => {
    const wrongSecret = await discover(standard.url, 'not-the-secret');
    await assert.rejects(client.refreshTokenGrant(wrongSecret, 'x'), (err: client.ResponseBodyError) => err.error === 'unsupported_grant_type');
    // The same client with authorization_code is refused for its secret (401 with a Basic challenge).
    await assert.rejects(
      client.genericGrantRequest(wrongSecret, 'authorization_code', { code: 'x', redirect_uri: fullApp.primary }),
      (err: client.WWWAuthenticateChallengeError) => err.status === 401 && err.cause[0]?.scheme === 'basic',
    );
  });
});

describe('the rate limit, as Clever reports it', () => {
  test('every answer to a token carries X-RateLimit-Limit, -Remaining, -Reset (Unix time) and -Bucket', async () => {
    const { config, tokens } = await login(standard.url);
    const started = Math.floor(standard.clock.now() / 1000);
    const first = await get(config, tokens.access_token, '/v3.0/me');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-limit'), '1200');
    assert.equal(first.headers.get('x-ratelimit-remaining'), '1199');
    const reset = Number(first.headers.get('x-ratelimit-reset'));
    assert.ok(reset >= started + 59 && reset <= started + 61, `reset ${reset}, started ${started}`);
    assert.match(first.headers.get('x-ratelimit-bucket')!, /^[0-9a-f]{16}$/);
    assert.equal(first.headers.get('x-ratelimit-bucket')!.includes(tokens.access_token), false);
    // /userinfo and the Data API share the token's count and bucket.
    const second = await get(config, tokens.access_token, '/userinfo');
    assert.equal(second.headers.get('x-ratelimit-remaining'), '1198');
    assert.equal(second.headers.get('x-ratelimit-reset'), String(reset));
    assert.equal(second.headers.get('x-ratelimit-bucket'), first.headers.get('x-ratelimit-bucket'));
    const outOfScope = await get(config, tokens.access_token, `/v3.0/users/${ids.zoe}`);
    assert.equal(outOfScope.status, 403);
    assert.equal(outOfScope.headers.get('x-ratelimit-remaining'), '1197');
  });

  test('1,200 requests a minute pass; the 1,201st gets an empty 429', async () => {
    const { config, tokens } = await login(standard.url);
    const headers = { authorization: `Bearer ${tokens.access_token}` };
    let last: Response | undefined;
    for (let batch = 0; batch < 1200; batch += 50) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${standard.url}/v3.0/me`, { headers })));
      for (const answer of answers) {
        assert.equal(answer.status, 200);
        await answer.arrayBuffer();
      }
      last = answers.at(-1);
    }
    assert.equal(last!.headers.get('x-ratelimit-limit'), '1200');
    const over = await get(config, tokens.access_token, '/v3.0/me');
    assert.equal(over.status, 429);
    assert.equal(over.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(await over.text(), '');
    await assert.rejects(client.fetchUserInfo(config, tokens.access_token, client.skipSubjectCheck));
  });

  test('past a (smaller, injected) limit: 429 with the headers; other tokens unaffected; the count resets with the window', async () => {
    const a = await login(limited.url);
    const b = await login(limited.url, 'zoe');
    const remaining: (string | null)[] = [];
    for (let i = 0; i < smallLimit; i++) {
      const response = await get(a.config, a.tokens.access_token, '/userinfo');
      assert.equal(response.status, 200);
      remaining.push(response.headers.get('x-ratelimit-remaining'));
    }
    assert.deepEqual(remaining, ['2', '1', '0']);
    const over = await get(a.config, a.tokens.access_token, '/userinfo');
    assert.equal(over.status, 429);
    assert.equal(over.headers.get('x-ratelimit-limit'), String(smallLimit));
    assert.equal(over.headers.get('x-ratelimit-remaining'), '0');
    const reset = Number(over.headers.get('x-ratelimit-reset'));
    assert.ok(reset * 1000 > limited.clock.now());
    assert.equal(over.headers.get('content-length'), '0');

    const other = await get(b.config, b.tokens.access_token, '/v3.0/me');
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('x-ratelimit-remaining'), '2');

    limited.clock.advance(60_000);
    const afterReset = await get(a.config, a.tokens.access_token, '/userinfo');
    assert.equal(afterReset.status, 200);
    assert.equal(afterReset.headers.get('x-ratelimit-remaining'), '2');
    assert.ok(Number(afterReset.headers.get('x-ratelimit-reset')) >= reset + 59);
  });

  test('an unknown token is a 401 and is not counted', async () => {
    const response = await fetch(`${limited.url}/v3.0/me`, { headers: { authorization: 'Bearer not-a-token' } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('x-ratelimit-limit'), null);
  });
});
