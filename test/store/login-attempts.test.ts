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

forEachDatabase('store.loginAttempts for the Sign-in sessions page', (database) => {
  let db: OpenTestDatabase;
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  it('keeps each step with its time, the name and the decoded claims', async () => {
    const attempt = await db.store.loginAttempts.create(aLoginAttempt({ step: 'upstream_redirect' }));
    const callbackAt = new Date(Date.now() + 5);
    await db.store.loginAttempts.update(attempt.id, {
      step: 'code_issued',
      steps: [{ step: 'callback', at: callbackAt }, { step: 'token_exchange', at: new Date(callbackAt.getTime() + 1) }],
      name: 'Ñandú Pérez',
      claims: { sub: 'u1', given_name: 'Ñandú', district: 'd-1' },
    });
    await db.store.loginAttempts.update(attempt.id, { outcome: 'succeeded' });
    await db.store.loginAttempts.update(attempt.id, { step: 'code_redeemed' });
    const found = await db.store.loginAttempts.find(attempt.id);
    assert.deepEqual(found?.steps?.map((s) => s.step), ['upstream_redirect', 'callback', 'token_exchange', 'code_issued', 'code_redeemed']);
    assert.equal(found?.steps?.[1]?.at.getTime(), callbackAt.getTime());
    assert.equal(found?.name, 'Ñandú Pérez');
    assert.deepEqual(found?.claims, { sub: 'u1', given_name: 'Ñandú', district: 'd-1' });
    assert.equal(found?.outcome, 'succeeded');
  });

  it('filters by outcome, time range and person, and finds a reference in the same search', async () => {
    const ana = await db.store.loginAttempts.create(aLoginAttempt({ outcome: 'succeeded', email: 'ana@springfield.example', idpId: 'clever-AAA' }));
    await db.store.loginAttempts.update(ana.id, { name: 'Ana Ñúñez' });
    const bob = await db.store.loginAttempts.create(aLoginAttempt({ outcome: 'failed', email: 'bob_100%@x.example', idpId: 'clever-BBB' }));
    const pending = await db.store.loginAttempts.create(aLoginAttempt());
    const ids = async (filters: object) => (await db.store.loginAttempts.list({ limit: 10, order: 'desc', ...filters })).data.map((x) => x.id);

    assert.deepEqual(await ids({ outcome: 'failed' }), [bob.id]);
    assert.deepEqual(await ids({ search: 'ÑÚÑ'.toLowerCase() }), [ana.id], 'by name, any case');
    assert.deepEqual(await ids({ search: 'SPRINGFIELD' }), [ana.id], 'by email, any case');
    assert.deepEqual(await ids({ search: 'clever-bbb' }), [bob.id], 'by IdP ID');
    assert.deepEqual(await ids({ search: '100%' }), [bob.id], 'LIKE wildcards are literal');
    assert.deepEqual(await ids({ search: '_' }), [bob.id]);
    assert.deepEqual(await ids({ search: ` ${pending.id} ` }), [pending.id], 'the reference on the error page');
    assert.deepEqual(await ids({ since: new Date(Date.now() + 60_000) }), []);
    assert.deepEqual(await ids({ until: new Date(Date.now() + 60_000), outcome: 'pending' }), [pending.id]);
  });
});
