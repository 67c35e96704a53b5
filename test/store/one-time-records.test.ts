import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { aLoginAttempt, anAuthorizationCode, anAuthorizationState, aProfile, secondsFrom } from './fixtures.ts';

forEachDatabase('store one-time records (states, codes, tokens, sweep)', (database) => {
  let db: OpenTestDatabase;
  const now = new Date();
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  it('consumes an authorization state once', async () => {
    const saved = anAuthorizationState(secondsFrom(now, 600), { appState: 'état 李', appCodeChallenge: 'c', connectionId: null });
    await db.store.authorizationStates.save(saved);
    assert.deepEqual(await db.store.authorizationStates.consume(saved.state, now), saved);
    assert.equal(await db.store.authorizationStates.consume(saved.state, now), undefined, 'reused state');
    assert.equal(await db.store.authorizationStates.consume('state_unknown', now), undefined);
  });

  it('does not consume an expired authorization state', async () => {
    const saved = anAuthorizationState(secondsFrom(now, 600));
    await db.store.authorizationStates.save(saved);
    assert.equal(await db.store.authorizationStates.consume(saved.state, secondsFrom(now, 600)), undefined, 'expired at expiresAt');
    assert.deepEqual(await db.store.authorizationStates.consume(saved.state, secondsFrom(now, 599)), saved);
  });

  it('consumes a code once and returns its profile intact', async () => {
    const saved = anAuthorizationCode(secondsFrom(now, 600));
    await db.store.codes.save(saved);
    const consumed = await db.store.codes.consume(saved.codeHash, now);
    assert.deepEqual(consumed, saved);
    assert.equal(JSON.stringify(consumed?.profile), JSON.stringify(saved.profile), 'keys keep their order');
    assert.equal(await db.store.codes.consume(saved.codeHash, now), undefined);
  });

  it('does not consume an expired code', async () => {
    const saved = anAuthorizationCode(secondsFrom(now, -1));
    await db.store.codes.save(saved);
    assert.equal(await db.store.codes.consume(saved.codeHash, now), undefined);
  });

  it('leaves a code issued without PKCE to a PKCE-only redemption, and a code for another redirect URI untouched', async () => {
    const forApiKey = anAuthorizationCode(secondsFrom(now, 600), { codeChallenge: null });
    await db.store.codes.save(forApiKey);
    assert.equal(await db.store.codes.consume(forApiKey.codeHash, now, { withPkceOnly: true }), undefined);
    assert.equal(await db.store.codes.consume(forApiKey.codeHash, now, { redirectUri: 'https://other.example/callback' }), undefined);
    assert.deepEqual(await db.store.codes.consume(forApiKey.codeHash, now, { redirectUri: forApiKey.redirectUri }), forApiKey, 'not burnt by either');

    const withPkce = anAuthorizationCode(secondsFrom(now, 600), { codeChallenge: 'challenge' });
    await db.store.codes.save(withPkce);
    assert.deepEqual(await db.store.codes.consume(withPkce.codeHash, now, { withPkceOnly: true }), withPkce);
  });

  it('gives a code to exactly one of 20 concurrent redemptions', async () => {
    const saved = anAuthorizationCode(secondsFrom(now, 600));
    await db.store.codes.save(saved);
    const results = await Promise.all(Array.from({ length: 20 }, () => db.store.codes.consume(saved.codeHash, now)));
    assert.equal(results.filter((r) => r !== undefined).length, 1);
  });

  it('gives a state to exactly one of 20 concurrent callbacks', async () => {
    const saved = anAuthorizationState(secondsFrom(now, 600));
    await db.store.authorizationStates.save(saved);
    const results = await Promise.all(Array.from({ length: 20 }, () => db.store.authorizationStates.consume(saved.state, now)));
    assert.equal(results.filter((r) => r !== undefined).length, 1);
  });

  it('finds an access token until it expires', async () => {
    const token = { tokenHash: 'token-hash', profile: aProfile({ email: null, role: null, roles: [] }), expiresAt: secondsFrom(now, 600) };
    await db.store.accessTokens.save(token);
    assert.deepEqual(await db.store.accessTokens.find('token-hash', now), token);
    assert.deepEqual(await db.store.accessTokens.find('token-hash', now), token, 'not single use');
    assert.equal(await db.store.accessTokens.find('token-hash', secondsFrom(now, 600)), undefined);
    assert.equal(await db.store.accessTokens.find('other-hash', now), undefined);
  });

  it('sweeps expired states, codes, tokens and idempotency records, and keeps the rest', async () => {
    const later = secondsFrom(now, 600);
    const expiredState = anAuthorizationState(secondsFrom(now, -1));
    const liveState = anAuthorizationState(later);
    await db.store.authorizationStates.save(expiredState);
    await db.store.authorizationStates.save(liveState);
    const expiredCode = anAuthorizationCode(now);
    const liveCode = anAuthorizationCode(later);
    await db.store.codes.save(expiredCode);
    await db.store.codes.save(liveCode);
    await db.store.accessTokens.save({ tokenHash: 'old', profile: aProfile(), expiresAt: secondsFrom(now, -60) });
    await db.store.accessTokens.save({ tokenHash: 'new', profile: aProfile(), expiresAt: later });
    await db.store.idempotency.claim('old-key', 'f', secondsFrom(now, -60), secondsFrom(now, -120));
    await db.store.idempotency.claim('new-key', 'f', later, now);

    // Attempts were just written, so none is older than the cut-off (the epoch).
    assert.equal(await db.store.sweep(now, new Date(0)), 4);
    assert.equal(await db.store.sweep(now, new Date(0)), 0);
    assert.ok(await db.store.authorizationStates.consume(liveState.state, now));
    assert.ok(await db.store.codes.consume(liveCode.codeHash, now));
    assert.ok(await db.store.accessTokens.find('new', now));
    assert.deepEqual(await db.store.idempotency.claim('new-key', 'f', later, now), { claimed: false, conflict: false, response: undefined });
  });

  it('marks login attempts left pending as abandoned, and leaves finished and recent ones alone', async () => {
    await db.store.loginAttempts.create(aLoginAttempt({ id: 'login_pending' }));
    await db.store.loginAttempts.create(aLoginAttempt({ id: 'login_done', outcome: 'succeeded', step: 'code_redeemed' }));
    assert.equal(await db.store.sweep(new Date(), new Date(Date.now() - 60_000)), 0, 'too recent to be abandoned');
    assert.equal(await db.store.sweep(new Date(), new Date(Date.now() + 60_000)), 1);
    assert.equal((await db.store.loginAttempts.find('login_pending'))?.outcome, 'abandoned');
    assert.equal((await db.store.loginAttempts.find('login_done'))?.outcome, 'succeeded');
  });
});
