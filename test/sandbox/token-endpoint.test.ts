import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { basicAuth, fullApp, ids, logInWithClever, redeemCode, startTestSandbox } from './helpers.ts';

const { url: base, clock } = await startTestSandbox();

async function freshCode(options: { redirectUri?: string; clientId?: string; username?: string; password?: string; nonce?: string } = {}) {
  const callback = await logInWithClever(base, {
    username: options.username ?? 'nandu',
    password: options.password ?? 'pw-nandu',
    ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.nonce ? { nonce: options.nonce } : {}),
  });
  return callback.searchParams.get('code')!;
}

function post(body: BodyInit | null, headers: Record<string, string>) {
  return fetch(`${base}/oauth/tokens`, { method: 'POST', headers, body });
}

const auth = { authorization: basicAuth(fullApp.clientId, fullApp.secret) };
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const formType = { 'content-type': 'application/x-www-form-urlencoded' };

describe('POST /oauth/tokens: client authentication (HTTP Basic only)', () => {
  const cases: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['wrong secret', { authorization: basicAuth(fullApp.clientId, 'wrong-secret') }],
    ['unknown client', { authorization: basicAuth('nobody', fullApp.secret) }],
    ['not Basic', { authorization: `Bearer ${fullApp.secret}` }],
    ['garbage', { authorization: 'Basic !!!' }],
    ['no colon', { authorization: `Basic ${Buffer.from(fullApp.clientId).toString('base64')}` }],
  ];
  for (const [name, headers] of cases) {
    test(`${name} → 401 invalid_client`, async () => {
      const code = await freshCode();
      const response = await post(form({ grant_type: 'authorization_code', code, redirect_uri: fullApp.primary }), { ...formType, ...headers });
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), { error: 'invalid_client' });
      if (headers.authorization) assert.match(response.headers.get('www-authenticate')!, /^Basic/);
    });
  }

  test('is checked before the body: a bad client with a bad body still gets 401', async () => {
    const bad: [string, string][] = [['--x--', 'multipart/form-data; boundary=x'], ['{"grant_type":', 'application/json']];
    for (const [body, type] of bad) {
      const response = await post(body, { 'content-type': type });
      assert.equal(response.status, 401, type);
      assert.deepEqual(await response.json(), { error: 'invalid_client' });
    }
  });

  test('client_id and client_secret in the body do not count', async () => {
    const code = await freshCode();
    const response = await post(
      form({ grant_type: 'authorization_code', code, redirect_uri: fullApp.primary, client_id: fullApp.clientId, client_secret: fullApp.secret }),
      formType,
    );
    assert.equal(response.status, 401);
  });
});

describe('POST /oauth/tokens: bodies', () => {
  test('application/x-www-form-urlencoded', async () => {
    const response = await post(form({ grant_type: 'authorization_code', code: await freshCode(), redirect_uri: fullApp.primary }), { ...auth, ...formType });
    assert.equal(response.status, 200);
  });

  test('application/json (UTF-8)', async () => {
    const body = JSON.stringify({ grant_type: 'authorization_code', code: await freshCode(), redirect_uri: fullApp.primary });
    const response = await post(body, { ...auth, 'content-type': 'application/json; charset=utf-8' });
    assert.equal(response.status, 200);
  });

  const refused: [string, () => Promise<Response>][] = [
    ['multipart/form-data', async () => {
      const data = new FormData();
      data.set('grant_type', 'authorization_code');
      data.set('code', await freshCode());
      data.set('redirect_uri', fullApp.primary);
      return post(data, auth);
    }],
    ['text/plain', async () => post(form({ grant_type: 'authorization_code', code: 'x', redirect_uri: fullApp.primary }), { ...auth, 'content-type': 'text/plain' })],
    ['no content type', async () => post(Buffer.from(form({ grant_type: 'authorization_code', code: 'x', redirect_uri: fullApp.primary })), auth)],
    ['no body at all', async () => post(null, auth)],
  ];
  for (const [name, send] of refused) {
    test(`${name} → 400 invalid content-type`, async () => {
      const response = await send();
      assert.equal(response.status, 400);
      assert.deepEqual(await response.json(), { error: 'invalid_request', error_description: 'invalid content-type' });
    });
  }

  const malformed: [string, string, string][] = [
    ['malformed JSON', '{"grant_type":', 'application/json'],
    ['a JSON array', '[]', 'application/json'],
    ['a non-string JSON value', JSON.stringify({ grant_type: 'authorization_code', code: 42, redirect_uri: fullApp.primary }), 'application/json'],
    ['a missing code', form({ grant_type: 'authorization_code', redirect_uri: fullApp.primary }), formType['content-type']],
    ['a missing redirect_uri', form({ grant_type: 'authorization_code', code: 'x' }), formType['content-type']],
    ['a repeated code', 'grant_type=authorization_code&code=a&code=b&redirect_uri=x', formType['content-type']],
    ['an oversized code', form({ grant_type: 'authorization_code', code: 'x'.repeat(3000), redirect_uri: fullApp.primary }), formType['content-type']],
  ];
  for (const [name, body, type] of malformed) {
    test(`${name} → 400 invalid_request`, async () => {
      const response = await post(body, { ...auth, 'content-type': type });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
    });
  }

  test('a body over 16 KB → 413, in JSON', async () => {
    const response = await post(form({ padding: 'x'.repeat(20_000) }), { ...auth, ...formType });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
  });

  test('a grant_type other than authorization_code → 400 unsupported_grant_type', async () => {
    const response = await post(form({ grant_type: 'refresh_token', code: 'x', redirect_uri: fullApp.primary }), { ...auth, ...formType });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: 'unsupported_grant_type' });
  });

  describe('another grant_type is refused before any other check', () => {
    const cases: [string, BodyInit, Record<string, string>][] = [
      ['no client authentication', form({ grant_type: 'client_credentials' }), formType],
      ['a wrong client secret', form({ grant_type: 'refresh_token', refresh_token: 'x' }), { ...formType, authorization: basicAuth(fullApp.clientId, 'wrong-secret') }],
      ['an unknown client, in JSON', JSON.stringify({ grant_type: 'password', username: 'u', password: 'p' }), { 'content-type': 'application/json', authorization: basicAuth('nobody', 'x') }],
      ['no code and no redirect_uri', form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code' }), { ...auth, ...formType }],
      ['an oversized grant_type', form({ grant_type: 'x'.repeat(3000) }), formType],
    ];
    for (const [name, body, headers] of cases) {
      test(name, async () => {
        const response = await post(body, headers);
        assert.equal(response.status, 400);
        assert.deepEqual(await response.json(), { error: 'unsupported_grant_type' });
      });
    }

    test('a grant_type the body does not carry readably is left to the later checks', async () => {
      // Missing, empty or repeated: a bad client still gets its 401.
      for (const body of [form({ code: 'x' }), form({ grant_type: '' }), 'grant_type=refresh_token&grant_type=authorization_code']) {
        const response = await post(body, formType);
        assert.equal(response.status, 401, body);
      }
      const repeated = await post('grant_type=refresh_token&grant_type=authorization_code&code=x&redirect_uri=y', { ...auth, ...formType });
      assert.equal(repeated.status, 400);
      assert.equal(((await repeated.json()) as { error: string }).error, 'invalid_request');
    });
  });

  test('GET → 405 in JSON', async () => {
    const response = await fetch(`${base}/oauth/tokens`);
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
    assert.equal(((await response.json()) as { error: string }).error, 'method_not_allowed');
  });
});

describe('POST /oauth/tokens: codes', () => {
  const invalidGrant = async (response: Response) => {
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: 'invalid_grant' });
  };

  test('are single use', async () => {
    const code = await freshCode();
    assert.equal((await redeemCode(base, code, fullApp.primary)).status, 200);
    await invalidGrant(await redeemCode(base, code, fullApp.primary));
  });

  test('live one minute', async () => {
    const young = await freshCode();
    const old = await freshCode();
    clock.advance(59_000);
    assert.equal((await redeemCode(base, young, fullApp.primary)).status, 200);
    clock.advance(2_000);
    await invalidGrant(await redeemCode(base, old, fullApp.primary));
  });

  test('need the exact redirect URI they were sent to', async () => {
    const code = await freshCode({ redirectUri: fullApp.secondary });
    await invalidGrant(await redeemCode(base, code, fullApp.primary));
    const retried = await freshCode({ redirectUri: fullApp.secondary });
    assert.equal((await redeemCode(base, retried, fullApp.secondary)).status, 200);
  });

  test('are spent by a failed attempt', async () => {
    const code = await freshCode();
    await invalidGrant(await redeemCode(base, code, 'http://localhost:9/other'));
    await invalidGrant(await redeemCode(base, code, fullApp.primary));
  });

  test('belong to the app they were issued for', async () => {
    const callback = await logInWithClever(base, { clientId: 'not-in-rio', districtId: ids.springfield, username: 'bart', password: 'pw-bart' });
    // Redeemed with Full App's credentials instead of Not In Río's.
    await invalidGrant(await redeemCode(base, callback.searchParams.get('code')!, 'http://localhost:9/elsewhere', fullApp));
  });

  test('unknown codes are invalid_grant', async () => {
    await invalidGrant(await redeemCode(base, 'not-a-code', fullApp.primary));
  });
});

describe('POST /oauth/tokens: the answer', () => {
  test('access token, bearer type and an ID token; no refresh token; not cacheable', async () => {
    const response = await redeemCode(base, await freshCode(), fullApp.primary);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'id_token', 'token_type']);
    assert.equal(body.token_type, 'bearer');
  });

  test('apps not configured for OIDC get no id_token', async () => {
    const callback = await logInWithClever(base, { clientId: 'reading-corner', redirectUri: 'https://reading.example/clever', username: 'nandu', password: 'pw-nandu' });
    const response = await redeemCode(base, callback.searchParams.get('code')!, 'https://reading.example/clever', { clientId: 'reading-corner', secret: 'reading-corner-secret' });
    const body = (await response.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'token_type']);
  });

  test('the ID token: RS256 with kid, Clever claims (current shape: district), exp one hour after iat, nonce when sent', async () => {
    const code = await freshCode({ nonce: 'n-ñ-1' });
    const { id_token: idToken } = (await (await redeemCode(base, code, fullApp.primary)).json()) as { id_token: string };
    const header = decodeProtectedHeader(idToken);
    assert.equal(header.alg, 'RS256');
    assert.equal(typeof header.kid, 'string');
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${base}/oauth/certs`)), {
      issuer: base,
      audience: fullApp.clientId,
      currentDate: new Date(clock.now()),
    });
    assert.equal((payload.exp as number) - (payload.iat as number), 3600);
    const { iat, exp, ...claims } = payload;
    assert.ok(Math.abs((iat as number) - clock.now() / 1000) < 5);
    assert.ok(exp);
    assert.deepEqual(claims, {
      iss: base,
      aud: fullApp.clientId,
      sub: ids.nandu,
      user_id: ids.nandu,
      user_type: 'student',
      district: ids.rio,
      multi_role_user_id: ids.nandu,
      email: 'nandu@rio.example',
      email_verified: false,
      given_name: 'Ñandú',
      family_name: 'Pérez',
      nonce: 'n-ñ-1',
    });
  });

  test('no email claim for a user without one; no nonce when none was sent', async () => {
    const code = await freshCode({ username: 'zoe', password: 'pw-zoe' });
    const { id_token: idToken } = (await (await redeemCode(base, code, fullApp.primary)).json()) as { id_token: string };
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${base}/oauth/certs`)), { currentDate: new Date(clock.now()) });
    assert.equal('email' in payload, false);
    assert.equal('nonce' in payload, false);
    assert.equal(payload.given_name, 'Zoë');
    assert.equal(payload.family_name, '<b>Brontë</b>');
  });

  test('access tokens live 24 hours', async () => {
    const { access_token: token } = (await (await redeemCode(base, await freshCode(), fullApp.primary)).json()) as { access_token: string };
    const me = () => fetch(`${base}/v3.0/me`, { headers: { authorization: `Bearer ${token}` } });
    clock.advance(24 * 60 * 60 * 1000 - 10_000);
    assert.equal((await me()).status, 200);
    clock.advance(20_000);
    assert.equal((await me()).status, 401);
  });
});
