/**
 * Hostile upstream answers, end to end: the WorkOS SDK as the app, Hallpass,
 * and a deliberately misbehaving IdP (test/support/hostile-idp.ts). Each
 * fault breaks one thing a relying party must check; none of them may yield a
 * code for the app, and each failure is recorded with the step it reached
 * and why. Also a reused state, a callback from another browser, and key
 * rotation. Runs on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, it } from 'node:test';
import type { LoginAttempt } from '../../src/store/types.ts';
import { APP_CALLBACK, appResult, createOrgWithConnection, latestLoginAttempt, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { startHostileIdp, type Fault, type RunningHostileIdp } from '../support/hostile-idp.ts';
import { UserAgent, type Page } from '../support/user-agent.ts';

/** Hallpass's timeout for every call to an IdP, and how long the slow token endpoint stalls: well beyond it. */
const UPSTREAM_TIMEOUT_MS = 500;
const SLOW_TOKEN_DELAY_MS = 3_000;

forEachDatabase('Hostile IdP answers are refused', (database) => {
  let db: OpenTestDatabase;
  let hallpass: RunningHallpass;
  let idp: RunningHostileIdp;
  let connectionId: string;

  before(async () => {
    db = await database.open();
    hallpass = await startHallpass({
      databaseUrl: db.databaseUrl,
      redirectUris: [APP_CALLBACK],
      env: { HALLPASS_UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) },
    });
    idp = await startHostileIdp({ slowTokenDelayMs: SLOW_TOKEN_DELAY_MS });
    ({ connectionId } = await createOrgWithConnection(hallpass, { name: 'Hostile Academy' }, {
      connection_type: 'GenericOIDC',
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      discovery_endpoint: idp.discoveryEndpoint,
    }));
  });
  afterEach(() => idp.setFault(null));
  after(async () => {
    await idp?.close();
    await hallpass?.close();
    await db?.cleanup();
  });

  /** One login in a fresh browser; the hostile IdP logs its user in without a page. */
  async function logIn(state: string): Promise<{ ua: UserAgent; page: Page }> {
    const ua = new UserAgent();
    const url = workosFor(hallpass).sso.getAuthorizationUrl({ connection: connectionId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state });
    return { ua, page: await ua.get(url, { stopAt: stopAtApp }) };
  }

  /** A login the app must see succeed, redeemed through the SDK. */
  async function successfulLogin(state: string) {
    const { page } = await logIn(state);
    const result = appResult(page);
    assert.ok(result.code, `the app got a code: ${result.error} ${result.errorDescription}`);
    return (await workosFor(hallpass).sso.getProfileAndToken({ code: result.code, clientId: hallpass.clientId })).profile;
  }

  /** The app was sent `oauth_failed` with its state and no code; returns the recorded attempt. */
  async function refusedLogin(state: string): Promise<LoginAttempt> {
    const { page } = await logIn(state);
    const result = appResult(page);
    assert.equal(result.code, null, 'no code for the app');
    assert.equal(result.error, 'oauth_failed');
    assert.equal(result.state, state);
    const attempt = await latestLoginAttempt(hallpass, connectionId);
    assert.equal(attempt.outcome, 'failed');
    return attempt;
  }

  /**
   * Per fault: the step the login reached and what the recorded description
   * must name, so each fault is refused for its own reason and not another.
   */
  const faults: { fault: Fault; title: string; step: string; errorCode: string; reason: RegExp }[] = [
    { fault: 'bad_signature', title: 'an ID token signed by another key', step: 'id_token', errorCode: 'upstream_invalid_response', reason: /signature verification failed/ },
    { fault: 'alg_none', title: 'an unsigned ID token (alg: none)', step: 'id_token', errorCode: 'upstream_invalid_response', reason: /"alg" header/ },
    { fault: 'wrong_issuer', title: 'an ID token from another issuer', step: 'id_token', errorCode: 'upstream_invalid_response', reason: /"iss" \(issuer\) claim value/ },
    { fault: 'wrong_audience', title: 'an ID token for another client', step: 'id_token', errorCode: 'upstream_invalid_response', reason: /"aud" \(audience\) claim value/ },
    { fault: 'expired', title: 'an expired ID token', step: 'id_token', errorCode: 'upstream_invalid_response', reason: /"exp" .* past/ },
    { fault: 'missing_sub', title: 'an ID token without sub', step: 'id_token', errorCode: 'upstream_invalid_response', reason: /"sub" \(subject\) claim missing/ },
    { fault: 'missing_iat', title: 'an ID token without iat', step: 'id_token', errorCode: 'upstream_invalid_response', reason: /"iat" \(issued at\) claim missing/ },
    { fault: 'wrong_nonce', title: 'an ID token with another nonce', step: 'id_token', errorCode: 'upstream_invalid_response', reason: /"nonce" claim value/ },
    { fault: 'userinfo_sub_mismatch', title: 'userinfo for another sub than the ID token\'s', step: 'userinfo', errorCode: 'upstream_invalid_response', reason: /body "sub" property value/ },
  ];
  for (const { fault, title, step, errorCode, reason } of faults) {
    it(`refuses ${title} (${fault})`, async () => {
      idp.setFault(fault);
      const attempt = await refusedLogin(fault);
      assert.equal(attempt.step, step);
      assert.equal(attempt.errorCode, errorCode);
      assert.match(attempt.errorDescription ?? '', reason);
    });
  }

  it('refuses a token endpoint error, recording the IdP\'s own error code (token_error)', async () => {
    idp.setFault('token_error');
    const attempt = await refusedLogin('token_error');
    assert.equal(attempt.step, 'token_exchange');
    assert.equal(attempt.errorCode, 'upstream_error');
    assert.equal(attempt.upstreamError, 'invalid_grant: the hostile IdP refuses this code');
    assert.match(attempt.errorDescription ?? '', /while exchanging the code at the token endpoint/);
  });

  it('gives up on a token endpoint slower than the upstream timeout (slow_token)', async () => {
    idp.setFault('slow_token');
    const started = performance.now();
    const attempt = await refusedLogin('slow_token');
    const elapsed = performance.now() - started;
    assert.equal(attempt.step, 'token_exchange');
    assert.equal(attempt.errorCode, 'upstream_timeout');
    assert.ok(elapsed >= UPSTREAM_TIMEOUT_MS, `waited ${elapsed} ms`);
    // Within the configured milliseconds (plus the rest of the login), not rounded up to a second.
    assert.ok(elapsed < UPSTREAM_TIMEOUT_MS + 400, `gave up after ${elapsed} ms`);
  });

  it('refuses a reused state: replaying the callback URL yields nothing (the same browser is told it already signed in)', async () => {
    const { ua, page } = await logIn('once');
    const first = appResult(page);
    assert.ok(first.code);
    const callback = page.redirects.find((u) => new URL(u).pathname === `/sso/oidc/callback/${connectionId}`);
    assert.ok(callback, 'the IdP sent the browser to the connection\'s callback');
    const tokenCalls = idp.requests.token;

    const again = await ua.get(callback, { stopAt: stopAtApp });
    assert.ok(!again.stopped, 'the app received nothing');
    assert.equal(again.status, 200);
    assert.match(again.body, /You already signed in/);
    assert.match(again.body, /href="http:\/\/127\.0\.0\.1:9\/"/, 'a link back to the app');

    const elsewhere = await new UserAgent().get(callback, { stopAt: stopAtApp });
    assert.ok(!elsewhere.stopped, 'the app received nothing');
    assert.equal(elsewhere.status, 400);
    assert.match(elsewhere.body, /expired or was already completed/);
    assert.equal(idp.requests.token, tokenCalls, 'the replayed code was never sent to the IdP');
    const attempt = await latestLoginAttempt(hallpass, connectionId);
    assert.equal(attempt.step, 'code_issued', 'the original attempt is untouched');
  });

  it('never redeems an unsolicited code (a callback without state)', async () => {
    const tokenCalls = idp.requests.token;
    const page = await new UserAgent().get(`${hallpass.url}/sso/oidc/callback/${connectionId}?code=planted-code`, { stopAt: stopAtApp });
    assert.ok(!page.stopped, 'the app received nothing');
    assert.equal(page.status, 400);
    assert.match(page.body, /couldn't sign you in/);
    assert.equal(idp.requests.token, tokenCalls, 'the code was never sent to the IdP');
  });

  it('refuses a callback carried to another browser, and that state is then spent', async () => {
    const victim = new UserAgent();
    const url = workosFor(hallpass).sso.getAuthorizationUrl({ connection: connectionId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'csrf' });
    const atCallback = await victim.get(url, { stopAt: (u) => u.pathname.startsWith('/sso/oidc/callback/') });
    assert.ok(atCallback.stopped);

    const other = await new UserAgent().get(atCallback.url, { stopAt: stopAtApp });
    assert.ok(!other.stopped, 'the app received nothing');
    assert.equal(other.status, 403);
    assert.match(other.body, /different browser/);
    const attempt = await latestLoginAttempt(hallpass, connectionId);
    assert.deepEqual([attempt.outcome, attempt.step, attempt.errorCode], ['failed', 'callback', 'access_denied']);

    // The victim's own arrival is told the sign-in failed, with the reference to quote.
    const original = await victim.get(atCallback.url, { stopAt: stopAtApp });
    assert.ok(!original.stopped);
    assert.equal(original.status, 400);
    assert.match(original.body, /already tried, and it did not succeed/);
    assert.match(original.body, new RegExp(`Reference: <code>${attempt.id}</code>`));
  });

  it('fetches the discovery document and the JWKS once for many logins', async () => {
    await successfulLogin('warm-up');
    const before = { ...idp.requests };
    for (const i of [1, 2, 3]) await successfulLogin(`cached-${i}`);
    assert.equal(idp.requests.discovery, before.discovery, 'discovery cached');
    assert.equal(idp.requests.jwks, before.jwks, 'JWKS cached');
    assert.equal(idp.requests.token - before.token, 3);
  });

  it('follows a key rotation with one JWKS refresh, and refuses a kid still unknown after it', async () => {
    const before = await successfulLogin('before-rotation');
    await idp.rotateKey();
    const jwksCalls = idp.requests.jwks;
    const afterRotation = await successfulLogin('after-rotation');
    assert.equal(afterRotation.idpId, before.idpId);
    assert.equal(idp.requests.jwks - jwksCalls, 1, 'exactly one JWKS refresh');

    idp.setFault('unknown_kid');
    const refreshes = idp.requests.jwks;
    const attempt = await refusedLogin('unknown-kid');
    assert.equal(idp.requests.jwks - refreshes, 1, 'one refresh, then refused');
    assert.equal(attempt.step, 'id_token');
    assert.equal(attempt.errorCode, 'upstream_invalid_response');
    assert.match(attempt.errorDescription ?? '', /no applicable keys found/);

    idp.setFault(null);
    assert.equal((await successfulLogin('recovered')).idpId, before.idpId);
  });
});
