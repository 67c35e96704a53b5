/**
 * Proves test/support/hostile-idp.ts: without a fault openid-client completes
 * a login against it, and every fault makes openid-client refuse, at the step
 * and for the reason the fault is about. So when the broker refuses the same
 * answers, the faults are real.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { FAULTS, startHostileIdp, type Fault, type RunningHostileIdp } from '../support/hostile-idp.ts';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** What openid-client says when it meets each fault. */
const REFUSALS: Record<Fault, RegExp> = {
  bad_signature: /JWT signature verification failed/,
  alg_none: /unexpected JWT "alg" header parameter/,
  wrong_issuer: /unexpected JWT "iss" \(issuer\) claim value/,
  wrong_audience: /unexpected JWT "aud" \(audience\) claim value/,
  expired: /unexpected JWT "exp" \(expiration time\) claim value, expiration is past/,
  missing_sub: /JWT "sub" \(subject\) claim missing/,
  missing_iat: /JWT "iat" \(issued at\) claim missing/,
  wrong_nonce: /unexpected ID Token "nonce" claim value/,
  userinfo_sub_mismatch: /unexpected "response" body "sub" property value/,
  token_error: /invalid_grant \| the hostile IdP refuses this code/,
  slow_token: /TimeoutError/,
  unknown_kid: /no applicable keys found/,
};

describe('hostile IdP', () => {
  let idp: RunningHostileIdp;

  before(async () => {
    idp = await startHostileIdp({
      slowTokenDelayMs: 2_000,
      user: { sub: 'u-42', email: 'zoe@example.edu', given_name: 'Zoë', family_name: 'Núñez 李', groups: ['g1'] },
    });
  });
  after(() => idp.close());

  it('without a fault, is a correct provider: discovery, PKCE, nonce, signed ID token, userinfo', async () => {
    idp.setFault(null);
    const { claims, userinfo } = await login(idp);
    assert.equal(claims.iss, idp.issuer);
    assert.equal(claims.sub, 'u-42');
    assert.equal(claims.family_name, 'Núñez 李');
    assert.deepEqual(claims.groups, ['g1']);
    assert.equal(userinfo.sub, 'u-42');
    assert.equal(userinfo.given_name, 'Zoë');
  });

  it('accepts client_secret_basic as well as client_secret_post', async () => {
    idp.setFault(null);
    const { claims } = await login(idp, { auth: client.ClientSecretBasic(idp.clientSecret) });
    assert.equal(claims.sub, 'u-42');
  });

  for (const fault of FAULTS) {
    it(`with fault ${fault}, openid-client refuses the login`, async () => {
      idp.setFault(fault);
      try {
        await assert.rejects(login(idp, { timeoutSeconds: 0.3 }), (err: Error) => {
          assert.match(describeError(err), REFUSALS[fault]);
          return true;
        });
      } finally {
        idp.setFault(null);
      }
    });
  }

  describe('checks a relying party relies on', () => {
    it('codes are single use', async () => {
      idp.setFault(null);
      const { config, callback, checks } = await authorize(idp);
      await client.authorizationCodeGrant(config, callback, checks);
      await assert.rejects(client.authorizationCodeGrant(config, callback, checks), isOAuthError('invalid_grant'));
    });

    it('a wrong PKCE verifier is refused', async () => {
      const { config, callback, checks } = await authorize(idp);
      const wrong = { ...checks, pkceCodeVerifier: client.randomPKCECodeVerifier() };
      await assert.rejects(client.authorizationCodeGrant(config, callback, wrong), isOAuthError('invalid_grant'));
    });

    it('a wrong client secret is refused', async () => {
      const { callback, checks } = await authorize(idp);
      const config = await discover(idp, { secret: 'not-the-secret' });
      await assert.rejects(client.authorizationCodeGrant(config, callback, checks), isOAuthError('invalid_client'));

      // With HTTP Basic the refusal is a 401 challenge, which openid-client reports differently.
      const basic = await authorize(idp);
      const basicConfig = await discover(idp, { auth: client.ClientSecretBasic('not-the-secret') });
      await assert.rejects(
        client.authorizationCodeGrant(basicConfig, basic.callback, basic.checks),
        (err: unknown) => err instanceof client.WWWAuthenticateChallengeError && err.status === 401,
      );
    });

    it('setUser changes who logs in', async () => {
      idp.setUser({ sub: 'u-7', email: 'sam@example.edu' });
      try {
        const { claims, userinfo } = await login(idp);
        assert.equal(claims.sub, 'u-7');
        assert.equal(userinfo.email, 'sam@example.edu');
      } finally {
        idp.setUser({ sub: 'u-42', email: 'zoe@example.edu', given_name: 'Zoë', family_name: 'Núñez 李', groups: ['g1'] });
      }
    });
  });

  describe('key rotation', () => {
    it('publishes the new key: a client that refetches the JWKS once accepts tokens signed with it', async () => {
      const rotating = await startHostileIdp();
      try {
        // A relying party that keeps its JWKS cache between logins.
        const jwks = createRemoteJWKSet(new URL(`${rotating.issuer}/jwks`), { cooldownDuration: 0 });
        const verify = async () => {
          const { tokens } = await login(rotating, { verifySignature: false });
          return jwtVerify(tokens.id_token!, jwks, { issuer: rotating.issuer, audience: rotating.clientId });
        };
        const before = await verify();
        assert.equal(rotating.requests.jwks, 1);

        await rotating.rotateKey();
        const afterRotation = await verify();
        assert.notEqual(afterRotation.protectedHeader.kid, before.protectedHeader.kid, 'signed with the new key');
        assert.equal(rotating.requests.jwks, 2, 'the unknown kid cost exactly one refetch');
      } finally {
        await rotating.close();
      }
    });

    it('a client still holding the old JWKS meets an unknown kid (openid-client refetches only after 60 s)', async () => {
      const rotating = await startHostileIdp();
      try {
        const config = await discover(rotating);
        await login(rotating, { config });
        await rotating.rotateKey();
        await assert.rejects(login(rotating, { config }), REFUSALS.unknown_kid);
        const fresh = await login(rotating);
        assert.equal(fresh.claims.sub, 'hostile-user-1');
      } finally {
        await rotating.close();
      }
    });
  });
});

interface LoginOptions {
  config?: client.Configuration;
  auth?: client.ClientAuth;
  timeoutSeconds?: number;
  verifySignature?: boolean;
}

async function discover(idp: RunningHostileIdp, options: { auth?: client.ClientAuth; secret?: string; verifySignature?: boolean } = {}) {
  const config = await client.discovery(new URL(idp.issuer), idp.clientId, options.secret ?? idp.clientSecret, options.auth, {
    execute: [client.allowInsecureRequests],
  });
  // openid-client trusts an ID token from the token endpoint without checking
  // its signature unless asked; the signature faults need it checked.
  if (options.verifySignature !== false) client.enableNonRepudiationChecks(config);
  return config;
}

/** Runs /authorize; the hostile IdP logs in without a page and redirects straight back. */
async function authorize(idp: RunningHostileIdp, config?: client.Configuration) {
  config ??= await discover(idp);
  const checks = { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: client.randomState(), expectedNonce: client.randomNonce() };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile groups',
    code_challenge: await client.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: checks.expectedState,
    nonce: checks.expectedNonce,
  });
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 302);
  const callback = new URL(res.headers.get('location')!);
  assert.ok(callback.href.startsWith(REDIRECT_URI));
  return { config, callback, checks };
}

async function login(idp: RunningHostileIdp, options: LoginOptions = {}) {
  const config = options.config ?? (await discover(idp, { auth: options.auth, verifySignature: options.verifySignature }));
  if (options.timeoutSeconds !== undefined) config.timeout = options.timeoutSeconds;
  const { callback, checks } = await authorize(idp, config);
  const tokens = await client.authorizationCodeGrant(config, callback, { ...checks, idTokenExpected: true });
  const claims = tokens.claims()!;
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  return { tokens, claims, userinfo };
}

function isOAuthError(code: string) {
  return (err: unknown) => err instanceof client.ResponseBodyError && err.error === code;
}

/** openid-client wraps oauth4webapi's precise error as the `cause` of a generic one. */
function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    parts.push(e.name, e.message);
    if (e instanceof client.ResponseBodyError) parts.push(e.error, e.error_description ?? '');
  }
  return parts.join(' | ');
}
