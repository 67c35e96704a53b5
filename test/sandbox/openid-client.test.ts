/**
 * A real OpenID Connect client library (openid-client) against the sandbox:
 * discovery, the authorization-code flow with state and nonce checks,
 * ID-token validation, userinfo, and key rotation.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as client from 'openid-client';
import { UserAgent } from '../support/user-agent.ts';
import { atApp, fullApp, ids, signIn, startTestSandbox } from './helpers.ts';

const { sandbox, url: base } = await startTestSandbox();

// The sandbox runs on plain http locally; openid-client refuses that unless told.
async function discover(auth: client.ClientAuth = client.ClientSecretBasic(fullApp.secret)) {
  return client.discovery(new URL(base), fullApp.clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
}

/** Runs "Log in with Clever" from an authorization URL built by openid-client; returns the callback URL. */
async function login(config: client.Configuration, checks: { state: string; nonce: string }, username = 'nandu', password = `pw-${username}`) {
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: fullApp.primary,
    scope: 'openid',
    state: checks.state,
    nonce: checks.nonce,
    district_id: ids.rio,
  });
  const ua = new UserAgent();
  const page = await ua.get(authorizationUrl.href, { stopAt: atApp });
  const done = await signIn(ua, page, username, password);
  assert.equal(done.stopped, true, done.body);
  return new URL(done.url);
}

const causedBy = (pattern: RegExp) => (err: Error) => pattern.test(String((err.cause as Error | undefined)?.message));

describe('openid-client against the sandbox', () => {
  test('discovery finds every endpoint at the issuer', async () => {
    const config = await discover();
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, base);
    assert.equal(metadata.authorization_endpoint, `${base}/oauth/authorize`);
    assert.equal(metadata.token_endpoint, `${base}/oauth/tokens`);
    assert.equal(metadata.userinfo_endpoint, `${base}/userinfo`);
    assert.equal(metadata.jwks_uri, `${base}/oauth/certs`);
  });

  test('code flow with state and nonce checks, ID-token validation and userinfo', async () => {
    const config = await discover();
    const checks = { state: client.randomState(), nonce: client.randomNonce() };
    const callback = await login(config, checks);
    const tokens = await client.authorizationCodeGrant(config, callback, { expectedState: checks.state, expectedNonce: checks.nonce });
    const claims = tokens.claims()!;
    assert.equal(claims.iss, base);
    assert.equal(claims.sub, ids.nandu);
    assert.equal(claims.aud, fullApp.clientId);
    assert.equal(claims.user_type, 'student');
    assert.equal(claims.given_name, 'Ñandú');
    assert.equal(tokens.refresh_token, undefined);
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(userinfo.sub, ids.nandu);
    assert.deepEqual(userinfo.name, { first: 'Ñandú', last: 'Pérez', middle: '' });
    assert.equal(userinfo.district, ids.rio);
    assert.equal(claims.district, ids.rio);
    assert.equal('district_id' in claims, false);
  });

  test('a wrong state is caught by the client', async () => {
    const config = await discover();
    const callback = await login(config, { state: 'sent-state', nonce: 'n' });
    await assert.rejects(client.authorizationCodeGrant(config, callback, { expectedState: 'other-state', expectedNonce: 'n' }), causedBy(/"state"/));
  });

  test('a wrong nonce is caught by the client', async () => {
    const config = await discover();
    const callback = await login(config, { state: 's', nonce: 'sent-nonce' });
    await assert.rejects(client.authorizationCodeGrant(config, callback, { expectedState: 's', expectedNonce: 'other-nonce' }), causedBy(/"nonce"/));
  });

  test('client_secret_post is refused: Clever takes Basic auth only', async () => {
    const config = await discover(client.ClientSecretPost(fullApp.secret));
    const callback = await login(config, { state: 's', nonce: 'n' });
    await assert.rejects(
      client.authorizationCodeGrant(config, callback, { expectedState: 's', expectedNonce: 'n' }),
      (err: client.ResponseBodyError) => err.error === 'invalid_client' && err.status === 401,
    );
  });

  test('after a key rotation, new ID tokens carry the new kid and still validate', async () => {
    const before = (await (await fetch(`${base}/oauth/certs`)).json()) as { keys: { kid: string }[] };
    await sandbox.rotateSigningKey();
    const config = await discover();
    const checks = { state: 's', nonce: 'n' };
    const tokens = await client.authorizationCodeGrant(config, await login(config, checks), { expectedState: 's', expectedNonce: 'n' });
    const kid = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString()).kid as string;
    assert.notEqual(kid, before.keys[0]!.kid);
    assert.equal(tokens.claims()!.sub, ids.nandu);
  });
});
