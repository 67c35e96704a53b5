/**
 * Proves test/support/oidc-provider.ts is a working OpenID provider, with
 * openid-client (a certified relying party) on the other side.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { startOidcProvider, type RunningOidcProvider } from '../support/oidc-provider.ts';
import { UserAgent } from '../support/user-agent.ts';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';
/** The relying party's callback is never requested; the test takes the code from its URL. */
const stopAt = (url: URL) => url.href.startsWith(REDIRECT_URI);

describe('test OpenID provider (oidc-provider)', () => {
  let op: RunningOidcProvider;

  before(async () => {
    op = await startOidcProvider({
      accounts: [
        {
          id: 'user-1',
          login: 'nuria',
          password: 'correct horse',
          email: 'nuria@example.edu',
          email_verified: true,
          given_name: 'Núria José',
          family_name: 'Muñoz 李',
          groups: ['teachers', 'grp-é'],
        },
        { id: 'user-2', login: 'bare', password: 'pw' },
      ],
      clients: [{ client_id: 'static-client', client_secret: 'static-secret', redirect_uris: [REDIRECT_URI] }],
    });
  });
  after(() => op.close());

  it('serves discovery with the issuer, PKCE S256 and both secret auth methods', async () => {
    const res = await fetch(op.discoveryEndpoint);
    const meta = (await res.json()) as Record<string, unknown>;
    assert.equal(meta.issuer, op.issuer);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.ok((meta.token_endpoint_auth_methods_supported as string[]).includes('client_secret_basic'));
    assert.ok((meta.token_endpoint_auth_methods_supported as string[]).includes('client_secret_post'));
    for (const scope of ['openid', 'email', 'profile', 'groups']) {
      assert.ok((meta.scopes_supported as string[]).includes(scope), scope);
    }
  });

  it('completes a code flow with PKCE; groups and UTF-8 names are in the ID token and at userinfo', async () => {
    const clientId = 'added-client';
    op.addClient({ client_id: clientId, client_secret: 'added-secret', redirect_uris: [REDIRECT_URI] });
    const result = await codeFlow(op, { clientId, clientSecret: 'added-secret', login: 'nuria', password: 'correct horse' });

    const idClaims = result.idTokenClaims;
    assert.equal(idClaims.iss, op.issuer);
    assert.equal(idClaims.sub, 'user-1');
    assert.equal(idClaims.email, 'nuria@example.edu');
    assert.equal(idClaims.email_verified, true);
    assert.equal(idClaims.given_name, 'Núria José');
    assert.equal(idClaims.family_name, 'Muñoz 李');
    assert.deepEqual(idClaims.groups, ['teachers', 'grp-é']);
    assert.equal(result.idTokenAlg, 'RS256');

    assert.equal(result.userinfo.sub, 'user-1');
    assert.equal(result.userinfo.family_name, 'Muñoz 李');
    assert.deepEqual(result.userinfo.groups, ['teachers', 'grp-é']);
  });

  it('accepts client_secret_basic as well (openid-client defaults to client_secret_post)', async () => {
    const result = await codeFlow(op, {
      clientId: 'static-client',
      clientSecret: 'static-secret',
      login: 'bare',
      password: 'pw',
      auth: client.ClientSecretBasic('static-secret'),
    });
    assert.equal(result.idTokenClaims.sub, 'user-2');
    assert.equal(result.idTokenClaims.email, undefined, 'absent claims stay absent');
  });

  it('releases only the claims of the requested scopes', async () => {
    const result = await codeFlow(op, {
      clientId: 'static-client',
      clientSecret: 'static-secret',
      login: 'nuria',
      password: 'correct horse',
      scope: 'openid email',
    });
    assert.equal(result.idTokenClaims.email, 'nuria@example.edu');
    assert.equal(result.idTokenClaims.given_name, undefined);
    assert.equal(result.idTokenClaims.groups, undefined);
  });

  it('shows the form again with an error for a wrong password, then accepts the right one', async () => {
    const config = await discover(op, 'static-client', 'static-secret');
    const ua = new UserAgent();
    const verifier = client.randomPKCECodeVerifier();
    const authUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: client.randomState(),
    });
    const form = await ua.get(authUrl.href, { stopAt });
    assert.equal(form.status, 200);
    assert.match(form.body, /<form method="post"/);

    const wrong = await ua.submit(form, { fields: { login: 'nuria', password: 'nope' }, stopAt });
    assert.equal(wrong.status, 200);
    assert.match(wrong.body, /Invalid login or password/);
    assert.match(wrong.body, /name="password"/);

    const unknown = await ua.submit(form, { fields: { login: 'nobody', password: 'nope' }, stopAt });
    assert.match(unknown.body, /Invalid login or password/);

    const right = await ua.submit(wrong, { fields: { login: 'nuria', password: 'correct horse' }, stopAt });
    assert.ok(right.url.startsWith(REDIRECT_URI), right.url);
    assert.ok(new URL(right.url).searchParams.get('code'));
  });

  it('logs a returning browser in without the form (its session), and never asks for consent', async () => {
    const config = await discover(op, 'static-client', 'static-secret');
    const ua = new UserAgent();
    const start = async (extra: Record<string, string> = {}) =>
      ua.get(
        client.buildAuthorizationUrl(config, {
          redirect_uri: REDIRECT_URI,
          scope: 'openid email',
          code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
          code_challenge_method: 'S256',
          state: client.randomState(),
          ...extra,
        }).href,
        { stopAt },
      );
    const form = await start();
    const first = await ua.submit(form, { fields: { login: 'bare', password: 'pw' }, stopAt });
    assert.ok(first.stopped && first.url.startsWith(REDIRECT_URI));

    const again = await start({ scope: 'openid email profile groups' });
    assert.ok(again.url.startsWith(REDIRECT_URI), 'more scopes, no consent page');
    const consent = await start({ prompt: 'consent' });
    assert.ok(consent.url.startsWith(REDIRECT_URI), 'prompt=consent is answered without a page');
    const relogin = await start({ prompt: 'login' });
    assert.match(relogin.body, /name="login"/, 'prompt=login shows the form again');
  });

  it('refuses an authorization request without PKCE', async () => {
    const config = await discover(op, 'static-client', 'static-secret');
    const authUrl = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', state: 'x' });
    const res = await fetch(authUrl, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.match(location.searchParams.get('error_description') ?? '', /PKCE/);
  });

  it('refuses a wrong client secret at the token endpoint', async () => {
    await assert.rejects(
      codeFlow(op, { clientId: 'static-client', clientSecret: 'wrong', login: 'bare', password: 'pw' }),
      (err: unknown) => err instanceof client.ResponseBodyError && err.error === 'invalid_client',
    );
  });
});

interface FlowOptions {
  clientId: string;
  clientSecret: string;
  login: string;
  password: string;
  scope?: string;
  auth?: client.ClientAuth;
}

function discover(op: RunningOidcProvider, clientId: string, clientSecret: string, auth?: client.ClientAuth) {
  return client.discovery(new URL(op.issuer), clientId, clientSecret, auth, {
    execute: [client.allowInsecureRequests],
  });
}

/** One whole login as a relying party would do it, with a browser-less user. */
async function codeFlow(op: RunningOidcProvider, options: FlowOptions) {
  const config = await discover(op, options.clientId, options.clientSecret, options.auth);
  // Verify the ID token's signature too, not only its claims.
  client.enableNonRepudiationChecks(config);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: options.scope ?? 'openid email profile groups',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });

  const ua = new UserAgent();
  const form = await ua.get(authUrl.href, { stopAt });
  const callback = await ua.submit(form, { fields: { login: options.login, password: options.password }, stopAt });
  assert.ok(callback.stopped && callback.url.startsWith(REDIRECT_URI), `expected the callback, got ${callback.url}: ${callback.body}`);

  const tokens = await client.authorizationCodeGrant(config, new URL(callback.url), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const idTokenClaims = tokens.claims();
  assert.ok(idTokenClaims);
  const idTokenAlg = (JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString()) as { alg: string }).alg;
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, idTokenClaims.sub);
  return { idTokenClaims, idTokenAlg, userinfo };
}
