/**
 * Admin accounts: invitations are one-time links that expire; the last admin
 * cannot be removed, also when two admins remove each other at once; sessions
 * live in the database and end when idle or too old, on every instance.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { hashPassword } from '../../src/dashboard/passwords.ts';
import { createTestAdmin, signIn, type TestAdmin } from '../support/dashboard.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent } from '../support/user-agent.ts';

describe('Settings → Admins', () => {
  let hallpass: RunningHallpass;
  let admin: TestAdmin;
  let clock = Date.now();

  before(async () => {
    hallpass = await startHallpass({ now: () => clock, env: { HALLPASS_ADMIN_INVITE_HOURS: '1', HALLPASS_ADMIN_SESSION_IDLE_MINUTES: '30', HALLPASS_ADMIN_SESSION_MAX_HOURS: '2' } });
    admin = await createTestAdmin(hallpass);
  });
  after(() => hallpass?.close());

  async function invite(ua: UserAgent, email: string): Promise<string> {
    const page = await signIn(ua, hallpass, admin, '/dashboard/settings/admins');
    const invited = await ua.submit(page, { form: '/dashboard/settings/admins/invite', fields: { email } });
    assert.equal(invited.status, 200, invited.body.slice(0, 300));
    return /(http:\/\/[^<"]+\/dashboard\/invite\/invite_[A-Za-z0-9_-]+)/.exec(invited.body)![1]!;
  }

  it('invites an admin with a link that works once, after both passwords match', async () => {
    const link = await invite(new UserAgent(), 'new.admin@school.example');
    const guest = new UserAgent();
    const form = await guest.get(link);
    assert.equal(form.status, 200);
    assert.match(form.body, /new\.admin@school\.example/);
    const mismatch = await guest.submit(form, { fields: { password: 'a long passphrase one', password_again: 'a long passphrase two' } });
    assert.equal(mismatch.status, 422);
    assert.match(mismatch.body, /The two passwords differ/);
    const done = await guest.submit(mismatch, { fields: { password: 'a long passphrase one', password_again: 'a long passphrase one' } });
    assert.equal(new URL(done.url).pathname, '/dashboard/organizations', 'signed in at once');
    assert.ok(await hallpass.store.admins.findByEmail('new.admin@school.example'));
    const reused = await new UserAgent().get(link);
    assert.equal(reused.status, 404);
    assert.match(reused.body, /cannot be used/);
  });

  it('refuses an expired invitation', async () => {
    const link = await invite(new UserAgent(), 'late@school.example');
    clock += 61 * 60_000;
    try {
      const late = await new UserAgent().get(link);
      assert.equal(late.status, 404);
    } finally {
      clock -= 61 * 60_000;
    }
  });

  it('removes an admin, ending their sessions; the last admin stays', async () => {
    const other = await createTestAdmin(hallpass);
    const theirs = new UserAgent();
    await signIn(theirs, hallpass, other);
    const ua = new UserAgent();
    let page = await signIn(ua, hallpass, admin, '/dashboard/settings/admins');
    page = await ua.submit(page, { form: `/dashboard/settings/admins/${other.id}/remove` });
    assert.match(page.body, /The admin was removed/);
    const locked = await theirs.get(`${hallpass.url}/dashboard/organizations`);
    assert.equal(new URL(locked.url).pathname, '/dashboard/sign-in', 'their session is gone');

    // Everyone else leaves; then the last one cannot remove themself.
    for (const a of await hallpass.store.admins.list()) if (a.id !== admin.id) await hallpass.store.admins.remove(a.id);
    page = await ua.get(`${hallpass.url}/dashboard/settings/admins`);
    assert.match(page.body, /The last admin cannot be removed/);
    const forced = await fetch(`${hallpass.url}/dashboard/settings/admins/${admin.id}/remove`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: ['hallpass_admin', 'hallpass_csrf'].map((n) => `${n}=${ua.cookie(hallpass.url, n)}`).join('; ') },
      body: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! }),
    });
    assert.equal(forced.status, 409);
    assert.match(await forced.text(), /last admin cannot be removed/);
  });

  it('ends a session after the idle timeout and after the absolute lifetime', async () => {
    const ua = new UserAgent();
    await signIn(ua, hallpass, admin);
    clock += 31 * 60_000;
    assert.equal(new URL((await ua.get(`${hallpass.url}/dashboard/organizations`)).url).pathname, '/dashboard/sign-in', 'idle for 31 minutes');

    await signIn(ua, hallpass, admin);
    for (let i = 0; i < 4; i++) {
      clock += 25 * 60_000;
      assert.equal(new URL((await ua.get(`${hallpass.url}/dashboard/organizations`)).url).pathname, '/dashboard/organizations', `active after ${(i + 1) * 25} minutes`);
    }
    clock += 25 * 60_000;
    assert.equal(new URL((await ua.get(`${hallpass.url}/dashboard/organizations`)).url).pathname, '/dashboard/sign-in', 'past 2 hours');
  });
});

forEachDatabase('admin store rules', (database) => {
  let db: OpenTestDatabase;
  beforeEach(async () => {
    db = await database.open();
  });
  afterEach(() => db.cleanup());

  it('keeps one admin when two remove each other at the same time', async () => {
    const passwordHash = await hashPassword('a long enough passphrase');
    const a = (await db.store.admins.create({ id: 'admin_a', email: 'a@school.example', passwordHash }))!;
    const b = (await db.store.admins.create({ id: 'admin_b', email: 'b@school.example', passwordHash }))!;
    const results = await Promise.all([db.store.admins.remove(a.id), db.store.admins.remove(b.id)]);
    assert.deepEqual(results.toSorted(), ['last_admin', 'removed']);
    assert.equal(await db.store.admins.count(), 1);
  });

  it('keeps emails unique whatever their case', async () => {
    const passwordHash = await hashPassword('a long enough passphrase');
    assert.ok(await db.store.admins.create({ id: 'admin_1', email: 'Same@School.example', passwordHash }));
    assert.equal(await db.store.admins.create({ id: 'admin_2', email: 'same@school.EXAMPLE', passwordHash }), undefined);
  });

  it('consumes an invitation once', async () => {
    const now = new Date();
    await db.store.adminInvites.create({ tokenHash: 'h', email: 'x@school.example', invitedBy: null, createdAt: now, expiresAt: new Date(now.getTime() + 60_000) });
    const [first, second] = await Promise.all([db.store.adminInvites.consume('h', now), db.store.adminInvites.consume('h', now)]);
    assert.equal([first, second].filter(Boolean).length, 1);
  });
});

forEachDatabase('admin records in the sweep', (database) => {
  let db: OpenTestDatabase;
  beforeEach(async () => {
    db = await database.open();
  });
  afterEach(() => db.cleanup());

  it('deletes ended sessions, expired invitations and day-old wrong-password counters', async () => {
    const now = new Date();
    const admin = (await db.store.admins.create({ id: 'admin_s', email: 's@school.example', passwordHash: await hashPassword('a long enough passphrase') }))!;
    await db.store.adminSessions.create({ idHash: 'ended', adminId: admin.id, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() - 1) });
    await db.store.adminSessions.create({ idHash: 'live', adminId: admin.id, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + 60_000) });
    await db.store.adminInvites.create({ tokenHash: 'old', email: 'x@school.example', invitedBy: null, createdAt: now, expiresAt: new Date(now.getTime() - 1) });
    await db.store.signInFailures.record(['account:old@school.example'], new Date(now.getTime() - 25 * 3_600_000), new Date(0));
    await db.store.signInFailures.record(['account:new@school.example'], now, new Date(0));
    assert.equal(await db.store.sweep(now, new Date(0)), 3);
    const day = new Date(now.getTime() - 48 * 3_600_000);
    assert.deepEqual((await db.store.signInFailures.read(['account:old@school.example', 'account:new@school.example'], day)).map((c) => c.key), ['account:new@school.example']);
    assert.ok(await db.store.adminSessions.findLive('live', now, new Date(now.getTime() - 60_000)));
  });
});
