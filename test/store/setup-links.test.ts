import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { anOrganization, secondsFrom } from './fixtures.ts';

forEachDatabase('store setup links', (database) => {
  let db: OpenTestDatabase;
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  const aLink = (organizationId: string, id: string, expiresAt: Date) => ({
    id,
    organizationId,
    tokenHash: `hash-${id}`,
    intent: 'sso' as const,
    madeThrough: 'api' as const,
    cleverClientId: null,
    returnUrl: null,
    successUrl: 'https://vendor.example/done',
    createdBy: 'API key test',
    createdAt: now,
    expiresAt,
  });

  it('finds a link by its token hash; only while active; the first opening moves the expiry once', async () => {
    const org = await db.store.organizations.create(anOrganization());
    await db.store.setupLinks.create(aLink(org.id, 'setup_link_1', secondsFrom(now, 300)));
    assert.equal((await db.store.setupLinks.findByTokenHash('hash-setup_link_1'))?.successUrl, 'https://vendor.example/done');
    assert.ok(await db.store.setupLinks.findActiveByTokenHash('hash-setup_link_1', secondsFrom(now, 299)));
    assert.equal(await db.store.setupLinks.findActiveByTokenHash('hash-setup_link_1', secondsFrom(now, 300)), undefined, 'expired at expiresAt');
    const opened = await db.store.setupLinks.markOpened('setup_link_1', secondsFrom(now, 10), secondsFrom(now, 3600));
    assert.deepEqual(opened?.expiresAt, secondsFrom(now, 3600));
    assert.deepEqual(opened?.firstOpenedAt, secondsFrom(now, 10));
    const again = await db.store.setupLinks.markOpened('setup_link_1', secondsFrom(now, 20), secondsFrom(now, 9999));
    assert.deepEqual(again?.expiresAt, secondsFrom(now, 3600), 'a second opening changes nothing');
    await db.store.setupLinks.touch('setup_link_1', secondsFrom(now, 30));
    assert.deepEqual((await db.store.setupLinks.findByTokenHash('hash-setup_link_1'))?.lastUsedAt, secondsFrom(now, 30));
  });

  it('revokes only within its organization, once; lists newest first; dies with its organization; token hashes are unique', async () => {
    const a = await db.store.organizations.create(anOrganization({ id: 'org_a', name: 'A' }));
    const b = await db.store.organizations.create(anOrganization({ id: 'org_b', name: 'B' }));
    await db.store.setupLinks.create(aLink(a.id, 'setup_link_a1', secondsFrom(now, 300)));
    await db.store.setupLinks.create({ ...aLink(a.id, 'setup_link_a2', secondsFrom(now, 300)), createdAt: secondsFrom(now, 1) });
    assert.equal(await db.store.setupLinks.revoke(b.id, 'setup_link_a1', now), false, 'not through another organization');
    assert.equal(await db.store.setupLinks.revoke(a.id, 'setup_link_a1', now), true);
    assert.equal(await db.store.setupLinks.revoke(a.id, 'setup_link_a1', now), false, 'once');
    assert.equal(await db.store.setupLinks.findActiveByTokenHash('hash-setup_link_a1', now), undefined);
    assert.deepEqual((await db.store.setupLinks.listForOrganization(a.id)).map((l) => l.id), ['setup_link_a2', 'setup_link_a1']);
    await assert.rejects(db.store.setupLinks.create({ ...aLink(b.id, 'setup_link_b1', secondsFrom(now, 300)), tokenHash: 'hash-setup_link_a2' }));
    assert.ok(await db.store.organizations.destroy(a.id));
    assert.equal(await db.store.setupLinks.findByTokenHash('hash-setup_link_a2'), undefined);
  });
});
