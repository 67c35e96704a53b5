import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { aLoginAttempt } from './fixtures.ts';

forEachDatabase('store.loginAttempts', (database) => {
  let db: OpenTestDatabase;
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  it('records an attempt and follows it through its steps', async () => {
    const created = await db.store.loginAttempts.create(aLoginAttempt({ connectionId: 'conn_1', organizationId: 'org_1', initiatedBy: 'idp' }));
    assert.deepEqual(await db.store.loginAttempts.find(created.id), created);

    await db.store.loginAttempts.update(created.id, { step: 'token_exchange', outcome: 'failed', errorCode: 'oauth_failed', upstreamError: 'invalid_grant: código caducado', districtId: 'd-李' });
    const failed = await db.store.loginAttempts.find(created.id);
    assert.equal(failed?.step, 'token_exchange');
    assert.equal(failed?.outcome, 'failed');
    assert.equal(failed?.upstreamError, 'invalid_grant: código caducado');
    assert.equal(failed?.districtId, 'd-李');
    assert.equal(failed?.connectionId, 'conn_1', 'fields not in the patch are kept');
    assert.ok(failed!.updatedAt >= created.updatedAt);
    assert.equal(await db.store.loginAttempts.find('login_missing'), undefined);
  });

  it('writes concurrent attempts together, and one bad write neither loses the others nor fails its login', async () => {
    const existing = await db.store.loginAttempts.create(aLoginAttempt());
    const good = aLoginAttempt();
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      // Same event-loop turn, so one batch; the duplicate ID makes its transaction fail.
      await Promise.all([
        db.store.loginAttempts.create(aLoginAttempt({ id: existing.id })),
        db.store.loginAttempts.create(good),
        db.store.loginAttempts.update(existing.id, { step: 'callback' }),
      ]);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.equal((await db.store.loginAttempts.find(good.id))?.id, good.id, 'the good write is kept');
    assert.equal((await db.store.loginAttempts.find(existing.id))?.step, 'callback', 'and so is the update after the bad one');
    assert.equal(warnings.filter((m) => m.includes('could not be recorded')).length, 1, warnings.join('\n'));
  });

  it('lists attempts newest first, by connection or organization', async () => {
    const a = await db.store.loginAttempts.create(aLoginAttempt({ connectionId: 'conn_a', organizationId: 'org_1' }));
    const b = await db.store.loginAttempts.create(aLoginAttempt({ connectionId: 'conn_b', organizationId: 'org_1' }));
    const c = await db.store.loginAttempts.create(aLoginAttempt({ connectionId: 'conn_a', organizationId: 'org_2' }));
    const ids = async (filters: object) => (await db.store.loginAttempts.list({ limit: 10, order: 'desc', ...filters })).data.map((x) => x.id);
    assert.deepEqual(await ids({}), [c.id, b.id, a.id]);
    assert.deepEqual(await ids({ connectionId: 'conn_a' }), [c.id, a.id]);
    assert.deepEqual(await ids({ organizationId: 'org_1' }), [b.id, a.id]);
    const page = await db.store.loginAttempts.list({ limit: 1, order: 'desc', connectionId: 'conn_a', before: a.id });
    assert.deepEqual([page.data.map((x) => x.id), page.before, page.after], [[c.id], null, c.id]);
  });
});
