import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { secondsFrom } from './fixtures.ts';

forEachDatabase('store.idempotency', (database) => {
  let db: OpenTestDatabase;
  const expiresAt = secondsFrom(new Date(), 3600);
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  it('lets the first caller claim a key, and replays its response to later ones', async () => {
    assert.deepEqual(await db.store.idempotency.claim('key-1', 'fingerprint', expiresAt), { claimed: true });
    assert.deepEqual(await db.store.idempotency.claim('key-1', 'fingerprint', expiresAt), { claimed: false, conflict: false, response: undefined }, 'in flight');
    const body = { access_token: 'tok', profile: { first_name: 'José 李', nested: [1, true, null] } };
    await db.store.idempotency.complete('key-1', { status: 200, body });
    assert.deepEqual(await db.store.idempotency.claim('key-1', 'fingerprint', expiresAt), { claimed: false, conflict: false, response: { status: 200, body } });
  });

  it('reports a different request under the same key as a conflict', async () => {
    await db.store.idempotency.claim('key-2', 'fingerprint-a', expiresAt);
    await db.store.idempotency.complete('key-2', { status: 400, body: { error: 'invalid_grant' } });
    assert.deepEqual(await db.store.idempotency.claim('key-2', 'fingerprint-b', expiresAt), { claimed: false, conflict: true, response: undefined });
  });

  it('lets a new request claim a key whose record has expired', async () => {
    await db.store.idempotency.claim('key-3', 'old', secondsFrom(new Date(), -1));
    await db.store.idempotency.complete('key-3', { status: 200, body: 'old answer' });
    assert.deepEqual(await db.store.idempotency.claim('key-3', 'new', expiresAt), { claimed: true });
    assert.deepEqual(await db.store.idempotency.claim('key-3', 'new', expiresAt), { claimed: false, conflict: false, response: undefined });
  });

  it('gives a key to exactly one of 20 concurrent claims', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => db.store.idempotency.claim('key-4', 'f', expiresAt)));
    assert.equal(results.filter((r) => r.claimed).length, 1);
  });
});
