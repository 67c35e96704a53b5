/**
 * Whole generic OpenID Connect logins over real HTTP: the unmodified WorkOS
 * SDK as the app, Hallpass, and an independent OpenID provider
 * (`oidc-provider`) as the customer's IdP — profile mapping, role assignment
 * from groups, PKCE from the app side, the app-facing errors of
 * /sso/authorize and /sso/token, an inactive connection, and the IdP
 * answering with an error. Runs on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  api,
  APP_CALLBACK,
  appResult,
  createOrgWithConnection,
  latestLoginAttempt,
  publicWorkosFor,
  signInAtOidcProvider,
  stopAtApp,
  workosFor,
} from '../support/broker-kit.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { startOidcProvider, type RunningOidcProvider, type TestAccount } from '../support/oidc-provider.ts';
import { UserAgent } from '../support/user-agent.ts';

/** Ana's groups are listed in another order than the mappings, so priority comes from the mappings. */
const ANA: TestAccount = {
  id: 'op-user-ana',
  login: 'ana',
  password: 'pw-ana',
  email: 'ana.nunez@escuela.example',
  email_verified: true,
  given_name: 'Ána Lucía',
  family_name: 'Núñez 李',
  groups: ['grp-teachers', 'grp-staff', 'grp-admins'],
};
const LEO: TestAccount = { id: 'op-user-leo', login: 'leo', password: 'pw-leo', given_name: 'Leo', groups: ['grp-unmapped', 'grp-staff'] };
const MIA: TestAccount = { id: 'op-user-mia', login: 'mia', password: 'pw-mia', groups: ['grp-unmapped'] };
/** No claims beyond `sub`. */
const BARE: TestAccount = { id: 'op-user-bare', login: 'bare', password: 'pw-bare' };

/** In priority order. Two groups map to `teacher`; nobody is a librarian. */
const ROLE_MAPPINGS = [
  { group: 'grp-admins', role: 'admin' },
  { group: 'grp-teachers', role: 'teacher' },
  { group: 'grp-staff', role: 'teacher' },
  { group: 'grp-librarians', role: 'librarian' },
];

forEachDatabase('Generic OIDC logins through Hallpass', (database) => {
  let db: OpenTestDatabase;
  let hallpass: RunningHallpass;
  let op: RunningOidcProvider;
  let main: { organizationId: string; connectionId: string };

  before(async () => {
    db = await database.open();
    hallpass = await startHallpass({ databaseUrl: db.databaseUrl, redirectUris: [APP_CALLBACK] });
    op = await startOidcProvider({ accounts: [ANA, LEO, MIA, BARE] });
    main = await connectGenericOidc('Escuela Núñez', 'hallpass-main', { role_mappings: ROLE_MAPPINGS });
  });
  after(async () => {
    await op?.close();
    await hallpass?.close();
    await db?.cleanup();
  });

  /**
   * A GenericOIDC connection to the test provider. The connection comes
   * first because its redirect URI names its ID; the IdP learns it after.
   */
  async function connectGenericOidc(orgName: string, clientId: string, extra: { role_mappings?: typeof ROLE_MAPPINGS; clientMetadata?: Record<string, unknown> } = {}) {
    const clientSecret = `${clientId}-secret`;
    const created = await createOrgWithConnection(hallpass, { name: orgName }, {
      connection_type: 'GenericOIDC',
      client_id: clientId,
      client_secret: clientSecret,
      discovery_endpoint: op.discoveryEndpoint,
      ...(extra.role_mappings ? { role_mappings: extra.role_mappings } : {}),
    });
    op.addClient({ client_id: clientId, client_secret: clientSecret, redirect_uris: [created.connection.redirect_uri], ...extra.clientMetadata });
    return created;
  }

  /** One login from the app's authorization URL to the app's callback, in a fresh browser. */
  async function logIn(authorizationUrl: string, account: TestAccount) {
    const ua = new UserAgent();
    const start = await ua.get(authorizationUrl, { stopAt: stopAtApp });
    return appResult(await signInAtOidcProvider(ua, start, account.login, account.password));
  }

  const authorizationUrl = (selector: { connection: string } | { organization: string }, state = 'st') =>
    workosFor(hallpass).sso.getAuthorizationUrl({ ...selector, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state });

  /** A fresh Hallpass code for Ana, issued without PKCE. */
  async function freshCode(): Promise<string> {
    const { code } = await logIn(authorizationUrl({ connection: main.connectionId }), ANA);
    assert.ok(code, 'the app got a code');
    return code;
  }

  async function postToken(params: Record<string, string>, options: { json?: boolean; idempotencyKey?: string } = {}) {
    const response = await fetch(`${hallpass.url}/sso/token`, {
      method: 'POST',
      headers: {
        'content-type': options.json ? 'application/json' : 'application/x-www-form-urlencoded',
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      body: options.json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  }

  /** GET /sso/authorize with raw parameters (repeats allowed), not following the answer. */
  function rawAuthorize(params: [string, string][]): Promise<Response> {
    return fetch(`${hallpass.url}/sso/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
  }

  const trustedParams = (state: string): [string, string][] => [
    ['client_id', hallpass.clientId],
    ['redirect_uri', APP_CALLBACK],
    ['response_type', 'code'],
    ['state', state],
  ];

  /** The error the app was sent to its redirect URI. */
  function appError(response: Response) {
    assert.equal(response.status, 302);
    const location = response.headers.get('location') ?? '';
    assert.ok(location.startsWith(`${APP_CALLBACK}?`), `redirected to the app, not ${location}`);
    const url = new URL(location);
    assert.equal(url.searchParams.get('code'), null);
    return { error: url.searchParams.get('error'), description: url.searchParams.get('error_description'), state: url.searchParams.get('state') };
  }

  /** The error page shown instead of redirecting anywhere. */
  async function errorPage(response: Response): Promise<string> {
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null, 'no redirect to an untrusted place');
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const body = await response.text();
    assert.match(body, /couldn't sign you in/);
    return body;
  }

  it('maps the IdP\'s claims into a WorkOS profile: sub, email, UTF-8 names, groups, every claim in raw_attributes', async () => {
    const result = await logIn(authorizationUrl({ connection: main.connectionId }, 'ñ-state ✓'), ANA);
    assert.equal(result.state, 'ñ-state ✓');
    assert.ok(result.code);

    const workos = workosFor(hallpass);
    const { profile, accessToken } = await workos.sso.getProfileAndToken({ code: result.code, clientId: hallpass.clientId });
    assert.match(profile.id, /^prof_/);
    assert.equal(profile.idpId, ANA.id);
    assert.equal(profile.organizationId, main.organizationId);
    assert.equal(profile.connectionId, main.connectionId);
    assert.equal(profile.connectionType, 'GenericOIDC');
    assert.equal(profile.email, ANA.email);
    assert.equal(profile.firstName, 'Ána Lucía');
    assert.equal(profile.lastName, 'Núñez 李');
    assert.deepEqual(profile.groups, ANA.groups);
    assert.deepEqual(profile.customAttributes, {});
    const raw = profile.rawAttributes ?? {};
    assert.equal(raw.sub, ANA.id);
    assert.equal(raw.email, ANA.email);
    assert.equal(raw.email_verified, true);
    assert.equal(raw.given_name, 'Ána Lucía');
    assert.equal(raw.family_name, 'Núñez 李');
    assert.deepEqual(raw.groups, ANA.groups);
    assert.equal(raw.iss, op.issuer, 'ID-token claims are kept too');

    const again = await workos.sso.getProfile({ accessToken });
    assert.equal(again.id, profile.id);
    assert.equal(again.lastName, 'Núñez 李');

    const attempt = await latestLoginAttempt(hallpass, main.connectionId);
    assert.equal(attempt.outcome, 'succeeded');
    assert.equal(attempt.step, 'code_redeemed');
    assert.equal(attempt.idpId, ANA.id);
    assert.equal(attempt.initiatedBy, 'app');
  });

  it('refuses a profile whose email is outside the organization\'s domains, unless the organization allows it', async () => {
    const login = async (email: string) => {
      const ua = new UserAgent();
      const url = workosFor(hallpass).sso.getAuthorizationUrl({ organization: main.organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'dom' });
      return appResult(await signInAtOidcProvider(ua, await ua.get(url, { stopAt: stopAtApp }), 'ana', 'pw-ana'));
    };
    // Ana's email is on escuela.example.
    await api(hallpass, 'PUT', `/organizations/${main.organizationId}`, { domain_data: [{ domain: 'other.example', state: 'verified' }] });
    try {
      const refused = await login(ANA.email!);
      assert.equal(refused.error, 'access_denied');
      assert.equal(refused.code, null);
      assert.match(refused.errorDescription ?? '', /escuela\.example is not one of the organization's domains/);

      await api(hallpass, 'PUT', `/organizations/${main.organizationId}`, { domain_data: [{ domain: 'other.example', state: 'verified' }, { domain: 'Escuela.example', state: 'verified' }] });
      assert.ok((await login(ANA.email!)).code, 'on the organization\'s domains (case-insensitive)');

      await api(hallpass, 'PUT', `/organizations/${main.organizationId}`, { domain_data: [{ domain: 'other.example', state: 'verified' }], allow_profiles_outside_organization: true });
      assert.ok((await login(ANA.email!)).code, 'allowed by the organization');
    } finally {
      await api(hallpass, 'PUT', `/organizations/${main.organizationId}`, { domain_data: [], allow_profiles_outside_organization: false });
    }
  });

  it('passes login_hint on to the IdP, with scope, nonce and an S256 challenge of its own', async () => {
    const ua = new UserAgent();
    const url = workosFor(hallpass).sso.getAuthorizationUrl({ connection: main.connectionId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'hint', loginHint: 'ana.nunez@escuela.example' });
    const page = await ua.get(url, { stopAt: stopAtApp });
    const toIdp = page.redirects.map((u) => new URL(u)).find((u) => u.origin === new URL(op.issuer).origin)!;
    assert.equal(toIdp.searchParams.get('login_hint'), 'ana.nunez@escuela.example');
    assert.equal(toIdp.searchParams.get('scope'), 'openid email profile groups');
    assert.equal(toIdp.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(toIdp.searchParams.get('nonce'));
    assert.notEqual(toIdp.searchParams.get('state'), 'hint', 'Hallpass sends its own state, not the app\'s');
  });

  it('assigns roles from groups in the mappings\' priority order, else the default role member', async () => {
    const workos = workosFor(hallpass);
    const rolesOf = async (account: TestAccount) => {
      const { code } = await logIn(authorizationUrl({ organization: main.organizationId }), account);
      const { profile } = await workos.sso.getProfileAndToken({ code: code!, clientId: hallpass.clientId });
      assert.equal(profile.idpId, account.id);
      assert.equal(profile.organizationId, main.organizationId);
      return { role: profile.role, roles: profile.roles, groups: profile.groups };
    };

    // Every match, each role once, the highest-priority one first and as `role`.
    assert.deepEqual(await rolesOf(ANA), { role: { slug: 'admin' }, roles: [{ slug: 'admin' }, { slug: 'teacher' }], groups: ANA.groups });
    assert.deepEqual(await rolesOf(LEO), { role: { slug: 'teacher' }, roles: [{ slug: 'teacher' }], groups: LEO.groups });
    assert.deepEqual(await rolesOf(MIA), { role: { slug: 'member' }, roles: [{ slug: 'member' }], groups: ['grp-unmapped'] });
    assert.deepEqual(await rolesOf(BARE), { role: { slug: 'member' }, roles: [{ slug: 'member' }], groups: [] });
  });

  it('a user without name or email claims gets nulls, not empty strings', async () => {
    const { code } = await logIn(authorizationUrl({ connection: main.connectionId }), BARE);
    const { profile } = await workosFor(hallpass).sso.getProfileAndToken({ code: code!, clientId: hallpass.clientId });
    assert.equal(profile.email, null);
    assert.equal(profile.firstName, null);
    assert.equal(profile.lastName, null);
  });

  it('a public client logs in with PKCE alone; a wrong code_verifier is refused and burns the code', async () => {
    const app = publicWorkosFor(hallpass);
    const start = () => app.sso.getAuthorizationUrlWithPKCE({ connection: main.connectionId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK });

    const good = await start();
    const result = await logIn(good.url, ANA);
    assert.equal(result.state, good.state);
    const { profile } = await app.sso.getProfileAndToken({ code: result.code!, clientId: hallpass.clientId, codeVerifier: good.codeVerifier });
    assert.equal(profile.idpId, ANA.id);

    const other = await start();
    const { code } = await logIn(other.url, ANA);
    await assert.rejects(app.sso.getProfileAndToken({ code: code!, clientId: hallpass.clientId, codeVerifier: good.codeVerifier }), /code_verifier does not match/);
    // One guess per code: the right verifier no longer helps.
    await assert.rejects(app.sso.getProfileAndToken({ code: code!, clientId: hallpass.clientId, codeVerifier: other.codeVerifier }), /invalid, expired or already used/);
  });

  it('/sso/token answers 400 with OAuth error codes, and a failed client authentication does not burn the code', async () => {
    const code = await freshCode();
    const valid = { grant_type: 'authorization_code', client_id: hallpass.clientId, client_secret: hallpass.apiKey, code };

    const wrongClient = await postToken({ ...valid, client_id: 'client_01NOTTHEAPP' });
    assert.deepEqual([wrongClient.status, wrongClient.body.error], [400, 'invalid_client']);
    const badKey = await postToken({ ...valid, client_secret: 'sk_not_a_key' });
    assert.deepEqual([badKey.status, badKey.body.error], [400, 'invalid_client']);
    const { client_secret: _secret, ...noCredentials } = valid;
    const unauthenticated = await postToken(noCredentials);
    assert.deepEqual([unauthenticated.status, unauthenticated.body.error], [400, 'invalid_client']);
    const refresh = await postToken({ ...valid, grant_type: 'refresh_token' });
    assert.deepEqual([refresh.status, refresh.body.error], [400, 'unsupported_grant_type']);
    const badCode = await postToken({ ...valid, code: 'not-a-code' });
    assert.deepEqual([badCode.status, badCode.body.error], [400, 'invalid_grant']);
    for (const failure of [wrongClient, badKey, unauthenticated, refresh, badCode]) {
      assert.equal(typeof failure.body.error_description, 'string');
    }

    const redeemed = await postToken(valid, { json: true });
    assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
    assert.equal(redeemed.headers.get('cache-control'), 'no-store');
    assert.equal(redeemed.body.token_type, 'Bearer');
    assert.equal(redeemed.body.profile.object, 'profile');
    assert.equal(typeof redeemed.body.access_token, 'string');
    assert.equal(typeof redeemed.body.expires_in, 'number');
    assert.equal(redeemed.body.profile.idp_id, ANA.id);
    assert.deepEqual(redeemed.body.profile.role, { slug: 'admin' });

    const reused = await postToken(valid, { json: true });
    assert.deepEqual([reused.status, reused.body.error], [400, 'invalid_grant']);
  });

  it('/sso/token refuses a code issued without PKCE when only a code_verifier comes, and keeps the code', async () => {
    const code = await freshCode();
    const verifierOnly = await postToken({ grant_type: 'authorization_code', client_id: hallpass.clientId, code, code_verifier: 'a'.repeat(43) });
    // Indistinguishable from an unknown code on purpose: the code is left untouched for the app that holds the API key.
    assert.deepEqual([verifierOnly.status, verifierOnly.body.error], [400, 'invalid_grant']);
    const redeemed = await postToken({ grant_type: 'authorization_code', client_id: hallpass.clientId, client_secret: hallpass.apiKey, code });
    assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
  });

  it('/sso/token with a repeated Idempotency-Key answers the first answer again, access token included', async () => {
    const code = await freshCode();
    const params = { grant_type: 'authorization_code', client_id: hallpass.clientId, client_secret: hallpass.apiKey, code };
    const key = `retry-${code.slice(0, 8)}`;

    const first = await postToken(params, { idempotencyKey: key });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const retry = await postToken(params, { idempotencyKey: key });
    assert.equal(retry.status, 200);
    assert.deepEqual(retry.body, first.body);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    // The replayed access token is the live one, not a copy of a dead answer.
    const profile = await fetch(`${hallpass.url}/sso/profile`, { headers: { authorization: `Bearer ${retry.body.access_token}` } });
    assert.equal(profile.status, 200);
    assert.equal(((await profile.json()) as { id: string }).id, first.body.profile.id);

    const withoutKey = await postToken(params);
    assert.deepEqual([withoutKey.status, withoutKey.body.error], [400, 'invalid_grant'], 'the code itself was used once');
    const otherBody = await postToken({ ...params, code: 'another-code' }, { idempotencyKey: key });
    assert.deepEqual([otherBody.status, otherBody.body.error], [400, 'invalid_request']);
  });

  it('/sso/authorize shows an error page, never a redirect, for an untrusted redirect_uri or client_id', async () => {
    const replace = (name: string, value: string) => trustedParams('st').map(([k, v]): [string, string] => [k, k === name ? value : v]);

    assert.match(await errorPage(await rawAuthorize(replace('redirect_uri', 'https://attacker.example/callback'))), /allowed redirect URIs/);
    // Exact match only: a trailing slash is another URI.
    assert.match(await errorPage(await rawAuthorize(replace('redirect_uri', `${APP_CALLBACK}/`))), /allowed redirect URIs/);
    assert.match(await errorPage(await rawAuthorize(replace('client_id', 'client_01SOMEONEELSE'))), /invalid_client/);
    assert.match(await errorPage(await rawAuthorize(trustedParams('st').filter(([k]) => k !== 'client_id'))), /client_id parameter is missing/);
    // Which of two redirect URIs would be the one to trust? Neither.
    assert.match(await errorPage(await rawAuthorize([...trustedParams('st'), ['redirect_uri', APP_CALLBACK], ['connection', main.connectionId]])), /redirect_uri parameter must be given once/);
  });

  it('/sso/authorize sends selector and parameter errors back to the app with its state', async () => {
    const cases: { params: [string, string][]; error: string }[] = [
      { params: [['connection', 'conn_01NOSUCHCONNECTION']], error: 'connection_invalid' },
      { params: [['organization', 'org_01NOSUCHORGANIZATION']], error: 'organization_invalid' },
      { params: [['connection', main.connectionId], ['organization', main.organizationId]], error: 'ambiguous_connection_selector' },
      { params: [], error: 'invalid_connection_selector' },
      { params: [['provider', 'GoogleOAuth']], error: 'invalid_connection_selector' },
      { params: [['connection', main.connectionId], ['connection', main.connectionId]], error: 'invalid_request' },
      { params: [['connection', main.connectionId], ['code_challenge', 'x'.repeat(43)], ['code_challenge_method', 'plain']], error: 'invalid_request' },
    ];
    for (const [i, { params, error }] of cases.entries()) {
      const answer = appError(await rawAuthorize([...trustedParams(`state-${i}`), ...params]));
      assert.equal(answer.error, error, `case ${i}: ${JSON.stringify(params)}`);
      assert.equal(answer.state, `state-${i}`);
      assert.ok(answer.description, `case ${i} explains itself`);
    }
    const wrongResponseType = trustedParams('rt').map(([k, v]): [string, string] => [k, k === 'response_type' ? 'token' : v]);
    assert.equal(appError(await rawAuthorize([...wrongResponseType, ['connection', main.connectionId]])).error, 'unsupported_response_type');
  });

  it('an inactive connection is refused at the start, and one disabled during a login yields no code', async () => {
    const other = await connectGenericOidc('Colegio Inactivo', 'hallpass-inactive');
    const setState = async (state: 'active' | 'inactive') => {
      const updated = await api(hallpass, 'PUT', `/connections/${other.connectionId}`, { state });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.state, state);
    };

    await setState('inactive');
    const byConnection = appError(await rawAuthorize([...trustedParams('c'), ['connection', other.connectionId]]));
    assert.deepEqual([byConnection.error, byConnection.state], ['connection_invalid', 'c']);
    const byOrganization = appError(await rawAuthorize([...trustedParams('o'), ['organization', other.organizationId]]));
    assert.deepEqual([byOrganization.error, byOrganization.state], ['organization_invalid', 'o']);

    await setState('active');
    const ua = new UserAgent();
    const loginForm = await ua.get(authorizationUrl({ connection: other.connectionId }, 'midway'), { stopAt: stopAtApp });
    assert.match(loginForm.body, /name="login"/, 'the login reached the IdP');
    await setState('inactive');
    const result = appResult(await signInAtOidcProvider(ua, loginForm, ANA.login, ANA.password));
    assert.equal(result.code, null);
    assert.deepEqual([result.error, result.state], ['connection_invalid', 'midway']);
    const attempt = await latestLoginAttempt(hallpass, other.connectionId);
    assert.equal(attempt.outcome, 'failed');
    assert.equal(attempt.errorCode, 'connection_invalid');
  });

  it('the IdP answering error=access_denied sends access_denied to the app and records the IdP\'s words', async () => {
    // oidc-provider has no "deny" button, so play the IdP's redirect back
    // (RFC 6749 §4.1.2.1) in the browser, with the state Hallpass sent it.
    const ua = new UserAgent();
    const toIdp = await ua.get(authorizationUrl({ connection: main.connectionId }, 'denied'), { stopAt: (url) => url.origin === op.url });
    const idpRequest = new URL(toIdp.url);
    assert.equal(idpRequest.searchParams.get('client_id'), 'hallpass-main', 'the browser is at the IdP');
    const back = new URL(idpRequest.searchParams.get('redirect_uri')!);
    back.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user declined', state: idpRequest.searchParams.get('state')! }).toString();

    const result = appResult(await ua.get(back.href, { stopAt: stopAtApp }));
    assert.equal(result.code, null);
    assert.equal(result.error, 'access_denied');
    assert.equal(result.state, 'denied');
    const attempt = await latestLoginAttempt(hallpass, main.connectionId);
    assert.equal(attempt.outcome, 'failed');
    assert.equal(attempt.step, 'callback');
    assert.equal(attempt.errorCode, 'access_denied');
    assert.equal(attempt.upstreamError, 'access_denied: The user declined');
  });

  it('any other error from the IdP reaches the app as oauth_failed, with the IdP\'s own code recorded', async () => {
    // A client allowed fewer scopes than Hallpass asks for: oidc-provider itself answers invalid_scope.
    const narrow = await connectGenericOidc('Escuela Estrecha', 'hallpass-narrow', { clientMetadata: { scope: 'openid email' } });
    const result = await logIn(authorizationUrl({ connection: narrow.connectionId }, 'narrow'), ANA);
    assert.equal(result.code, null);
    assert.deepEqual([result.error, result.state], ['oauth_failed', 'narrow']);
    const attempt = await latestLoginAttempt(hallpass, narrow.connectionId);
    assert.equal(attempt.outcome, 'failed');
    assert.match(attempt.upstreamError ?? '', /^invalid_scope/);
  });
});
