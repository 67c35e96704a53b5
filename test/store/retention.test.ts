import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { aLoginAttempt } from './fixtures.ts';

const HOUR = 3_600_000;

forEachDatabase('store retention and counters', (database) => {
  let db: OpenTestDatabase;
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  /** A moment strictly between the writes before and after it (attempts are stamped by the store's clock). */
  async function moment(): Promise<Date> {
    await sleep(15);
    const at = new Date();
    await sleep(15);
    return at;
  }

  it('deletes attempts past the retention, blanks who signed in on those past the personal-data retention, keeps the rest', async () => {
    const who = { idpId: 'clever-user-李', email: 'ñandú@example.edu', name: 'Ñandú Pérez', claims: { sub: 'clever-user-李', given_name: 'Ñandú' }, districtId: 'district-1', connectionId: 'conn_1', organizationId: 'org_1' };
    const oldest = await db.store.loginAttempts.create(aLoginAttempt(who));
    const deleteBefore = await moment();
    const older = await db.store.loginAttempts.create(aLoginAttempt({ ...who, outcome: 'failed', errorCode: 'organization_invalid' }));
    const blankBefore = await moment();
    const recent = await db.store.loginAttempts.create(aLoginAttempt(who));

    const now = new Date();
    assert.ok(await db.store.sweep(now, new Date(0), { deleteBefore, blankPersonalDataBefore: blankBefore }) >= 2);
    assert.equal(await db.store.loginAttempts.find(oldest.id), undefined, 'past the retention: gone');
    const blanked = await db.store.loginAttempts.find(older.id);
    assert.deepEqual([blanked?.idpId, blanked?.email, blanked?.name, blanked?.claims], [null, null, null, null], 'personal data blanked, names and decoded claims included');
    assert.deepEqual([blanked?.districtId, blanked?.connectionId, blanked?.errorCode], ['district-1', 'conn_1', 'organization_invalid'], 'what the dashboard needs is kept');
    assert.deepEqual(await db.store.loginAttempts.find(recent.id), recent);
    assert.equal(await db.store.sweep(now, new Date(0), { deleteBefore, blankPersonalDataBefore: blankBefore }), 0, 'nothing left to do');
  });

  it('deletes a large history in batches', async () => {
    for (let i = 0; i < 6; i++) await Promise.all(Array.from({ length: 1000 }, () => db.store.loginAttempts.create(aLoginAttempt())));
    const cutoff = await moment();
    const kept = await db.store.loginAttempts.create(aLoginAttempt());
    await db.store.sweep(new Date(), new Date(0), { deleteBefore: cutoff, blankPersonalDataBefore: cutoff });
    const { data } = await db.store.loginAttempts.list({ limit: 10, order: 'desc' });
    assert.deepEqual(data.map((a) => a.id), [kept.id]);
  });

  it('counts requests per hour and reason, writes them at the sweep, adding to what was written before', async () => {
    const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    for (let i = 0; i < 1000; i++) db.store.loginCounters.increment('authorize:invalid_client', new Date(hour.getTime() + i));
    db.store.loginCounters.increment('callback:unknown_state', new Date(hour.getTime() + 5));
    db.store.loginCounters.increment('callback:unknown_state', new Date(hour.getTime() - 1));
    assert.deepEqual(await db.store.loginCounters.list(new Date(hour.getTime() - HOUR)), [], 'nothing written before the sweep');
    await db.store.sweep(new Date(), new Date(0));
    db.store.loginCounters.increment('authorize:invalid_client', hour);
    await db.store.sweep(new Date(), new Date(0));
    assert.deepEqual(await db.store.loginCounters.list(new Date(hour.getTime() - 1)), [
      { hour: new Date(hour.getTime() - HOUR), reason: 'callback:unknown_state', count: 1 },
      { hour, reason: 'authorize:invalid_client', count: 1001 },
      { hour, reason: 'callback:unknown_state', count: 1 },
    ]);
    assert.deepEqual((await db.store.loginCounters.list(hour)).map((c) => c.reason), ['authorize:invalid_client', 'callback:unknown_state']);

    // Counters older than the retention go with the attempts.
    await db.store.sweep(new Date(), new Date(0), { deleteBefore: hour, blankPersonalDataBefore: hour });
    assert.deepEqual((await db.store.loginCounters.list(new Date(0))).map((c) => c.count), [1001, 1]);
  });
});
