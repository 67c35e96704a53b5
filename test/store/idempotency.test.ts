import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { anOrganization, secondsFrom } from './fixtures.ts';

forEachDatabase('store.idempotency', (database) => {
  let db: OpenTestDatabase;
  const now = new Date();
  const lease = secondsFrom(now, 30);
  const day = secondsFrom(now, 86_400);
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  async function claimToken(key: string, fingerprint = 'fingerprint', at = now, leaseUntil = lease): Promise<string> {
    const claim = await db.store.idempotency.claim(key, fingerprint, leaseUntil, at);
    assert.ok(claim.claimed, `expected to claim ${key}`);
    return claim.token;
  }

  it('lets the first caller claim a key, and replays its response to later ones', async () => {
    const token = await claimToken('key-1');
    assert.deepEqual(await db.store.idempotency.claim('key-1', 'fingerprint', lease, now), { claimed: false, conflict: false, response: undefined }, 'in flight');
    const body = { access_token: 'tok', profile: { first_name: 'José 李', nested: [1, true, null] } };
    assert.equal(await db.store.idempotency.complete('key-1', token, { status: 200, body }, day), true);
    assert.deepEqual(await db.store.idempotency.claim('key-1', 'fingerprint', lease, secondsFrom(now, 3600)), { claimed: false, conflict: false, response: { status: 200, body } }, 'answered keys outlive the lease');
  });

  it('reports a different request under the same key as a conflict', async () => {
    const token = await claimToken('key-2', 'fingerprint-a');
    await db.store.idempotency.complete('key-2', token, { status: 400, body: { error: 'invalid_grant' } }, day);
    assert.deepEqual(await db.store.idempotency.claim('key-2', 'fingerprint-b', lease, now), { claimed: false, conflict: true, response: undefined });
  });

  it('lets a new request claim a key whose answer has expired', async () => {
    const token = await claimToken('key-3', 'old');
    await db.store.idempotency.complete('key-3', token, { status: 200, body: 'old answer' }, secondsFrom(now, 60));
    await claimToken('key-3', 'new', secondsFrom(now, 61), secondsFrom(now, 91));
    assert.deepEqual(await db.store.idempotency.claim('key-3', 'new', secondsFrom(now, 91), secondsFrom(now, 62)), { claimed: false, conflict: false, response: undefined });
  });

  it('gives a key to exactly one of 20 concurrent claims', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => db.store.idempotency.claim('key-4', 'f', lease, now)));
    assert.equal(results.filter((r) => r.claimed).length, 1);
  });

  it('hands a key whose holder died to a retry once the lease has passed, and the dead holder can no longer answer', async () => {
    const dead = await claimToken('key-5');
    assert.deepEqual(await db.store.idempotency.claim('key-5', 'fingerprint', lease, secondsFrom(now, 29)), { claimed: false, conflict: false, response: undefined }, 'still within the lease');
    const retry = await claimToken('key-5', 'fingerprint', secondsFrom(now, 30), secondsFrom(now, 60));
    assert.notEqual(retry, dead);
    assert.equal(await db.store.idempotency.complete('key-5', dead, { status: 201, body: 'late' }, day), false, 'the lapsed claim cannot record');
    await db.store.idempotency.release('key-5', dead);
    assert.equal(await db.store.idempotency.complete('key-5', retry, { status: 201, body: 'retry' }, day), true, 'nor release the new holder\'s claim');
    assert.deepEqual(await db.store.idempotency.claim('key-5', 'fingerprint', lease, secondsFrom(now, 31)), { claimed: false, conflict: false, response: { status: 201, body: 'retry' } });
  });

  it('releases an unanswered claim, so the next request runs afresh', async () => {
    const token = await claimToken('key-6');
    await db.store.idempotency.release('key-6', token);
    await claimToken('key-6', 'another body');
  });

  it('commits a write and its answer together, or neither', async () => {
    const token = await claimToken('key-7');
    const org = anOrganization({ domains: [{ id: 'org_domain_1', domain: 'tx.example', state: 'verified' }] });
    await assert.rejects(db.store.transaction(async (tx) => {
      await tx.organizations.create(org);
      assert.equal(await tx.idempotency.complete('key-7', token, { status: 201, body: org.id }, day), true);
      throw new Error('crash before commit');
    }), /crash before commit/);
    assert.equal(await db.store.organizations.find(org.id), undefined, 'the write was rolled back');
    assert.deepEqual(await db.store.idempotency.claim('key-7', 'fingerprint', lease, now), { claimed: false, conflict: false, response: undefined }, 'and so was the answer');

    await db.store.transaction(async (tx) => {
      await tx.organizations.create(org);
      await tx.idempotency.complete('key-7', token, { status: 201, body: org.id }, day);
    });
    assert.equal((await db.store.organizations.find(org.id))?.domains[0]?.domain, 'tx.example');
    assert.deepEqual(await db.store.idempotency.claim('key-7', 'fingerprint', lease, now), { claimed: false, conflict: false, response: { status: 201, body: org.id } });
  });
});
