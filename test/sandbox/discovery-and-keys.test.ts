import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { buildCleverSandbox, defaultSeed, startCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { fullApp, redeemCode, logInWithClever, startTestSandbox } from './helpers.ts';

const { sandbox, url: base } = await startTestSandbox();

describe('GET /.well-known/openid-configuration', () => {
  test("names the sandbox's own URL as issuer and its endpoints", async () => {
    const response = await fetch(`${base}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const doc = (await response.json()) as Record<string, unknown>;
    assert.equal(doc.issuer, base);
    assert.equal(sandbox.issuer, base);
    assert.equal(doc.authorization_endpoint, `${base}/oauth/authorize`);
    assert.equal(doc.token_endpoint, `${base}/oauth/tokens`);
    assert.equal(doc.userinfo_endpoint, `${base}/userinfo`);
    assert.equal(doc.jwks_uri, `${base}/oauth/certs`);
    assert.deepEqual(doc.response_types_supported, ['code']);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(doc.token_endpoint_auth_methods_supported, ['client_secret_basic']);
    assert.deepEqual(doc.subject_types_supported, ['public']);
    for (const claim of ['sub', 'user_id', 'user_type', 'district_id', 'multi_role_user_id', 'email', 'email_verified', 'given_name', 'family_name']) {
      assert.ok((doc.claims_supported as string[]).includes(claim), claim);
    }
  });

  test('the public URL, when given, is the issuer (trailing slash dropped)', async () => {
    const built = await buildCleverSandbox({ seed: defaultSeed, publicUrl: 'https://clever.sandbox.example/' });
    const response = await built.app.inject('/.well-known/openid-configuration');
    assert.equal(response.json().issuer, 'https://clever.sandbox.example');
    assert.equal(built.issuer, 'https://clever.sandbox.example');
    await built.app.close();
  });

  test('https public URLs make the session cookie Secure', async () => {
    const built = await buildCleverSandbox({ seed: defaultSeed, publicUrl: 'https://clever.sandbox.example' });
    const response = await built.app.inject('/in/hallpass-sandbox');
    assert.match(String(response.headers['set-cookie']), /Secure/);
    await built.app.close();
  });

  test('startCleverSandbox with publicUrl keeps it as issuer while listening on a random port', async () => {
    const running = await startCleverSandbox({ port: 0, publicUrl: 'http://sandbox.test:8081' });
    try {
      assert.equal(running.url, 'http://sandbox.test:8081');
      const address = running.app.server.address() as { port: number };
      const doc = (await (await fetch(`http://127.0.0.1:${address.port}/.well-known/openid-configuration`)).json()) as { issuer: string };
      assert.equal(doc.issuer, 'http://sandbox.test:8081');
    } finally {
      await running.close();
    }
  });
});

describe('GET /oauth/certs and key rotation', () => {
  async function jwks(): Promise<JSONWebKeySet & { keys: { kid: string; alg: string; use: string; kty: string; d?: string }[] }> {
    return (await (await fetch(`${base}/oauth/certs`)).json()) as never;
  }
  async function idToken(): Promise<string> {
    const callback = await logInWithClever(base, { username: 'nandu', password: 'pw-nandu' });
    return ((await (await redeemCode(base, callback.searchParams.get('code')!, fullApp.primary)).json()) as { id_token: string }).id_token;
  }

  test('serves public RSA keys only', async () => {
    const { keys } = await jwks();
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.kty, 'RSA');
    assert.equal(keys[0]!.alg, 'RS256');
    assert.equal(keys[0]!.use, 'sig');
    assert.equal(keys[0]!.d, undefined);
  });

  test('rotation: new key with a new kid signs; the old key stays published', async () => {
    const oldToken = await idToken();
    const oldKid = decodeProtectedHeader(oldToken).kid;
    await sandbox.rotateSigningKey();
    const newToken = await idToken();
    const newKid = decodeProtectedHeader(newToken).kid;
    assert.notEqual(newKid, oldKid);
    const set = await jwks();
    assert.deepEqual(set.keys.map((k) => k.kid), [newKid, oldKid]);
    const keySet = createLocalJWKSet(set);
    await jwtVerify(oldToken, keySet, { issuer: base, audience: fullApp.clientId });
    await jwtVerify(newToken, keySet, { issuer: base, audience: fullApp.clientId });
  });
});
