/**
 * The per-instance read cache: an instance's own writes are seen at once,
 * another instance's within the TTL; misses are never cached.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { firstCleverApp } from '../../src/connections/redirect-uri.ts';
import { withReadCache } from '../../src/store/read-cache.ts';
import type { Store } from '../../src/store/types.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { anOrganization } from './fixtures.ts';

forEachDatabase('store read cache', (database) => {
  let db: OpenTestDatabase;
  let now = 0;
  let cached: Store;
  beforeEach(async () => {
    db = await database.open();
    now = 1_000_000;
    cached = withReadCache(db.store, 5_000, () => now);
  });
  afterEach(() => db.cleanup());

  it('reads past the cache for the first Clever app while none is known: another instance recording one is seen at once', async () => {
    assert.equal(await firstCleverApp(cached), null);
    await db.store.settings.claimFirstCleverApp('clever-app'); // "another instance"
    assert.equal((await cached.settings.get()).firstCleverClientId, null, 'the cached copy is stale within the TTL');
    assert.equal(await firstCleverApp(cached), 'clever-app', 'Redirect URIs depend on it');
    await db.store.settings.claimFirstCleverApp('another-app');
    now += 5_000;
    assert.equal(await firstCleverApp(cached), 'clever-app', 'the first app stays first');
  });

  it('sees its own settings changes at once, and another instance\'s after the TTL', async () => {
    assert.equal((await cached.settings.get()).defaultRole, 'member');
    await cached.settings.update({ defaultRole: 'viewer' });
    assert.equal((await cached.settings.get()).defaultRole, 'viewer', 'own write seen at once');

    await db.store.settings.update({ defaultRole: 'editor' }); // "another instance"
    assert.equal((await cached.settings.get()).defaultRole, 'viewer', 'within the TTL');
    now += 5_000;
    assert.equal((await cached.settings.get()).defaultRole, 'editor', 'after the TTL');
  });

  it('keeps an organization\'s domain policy, dropped at once by its own update', async () => {
    const org = await cached.organizations.create(anOrganization({ domains: [{ id: 'org_domain_x', domain: 'School.example', state: 'verified' }] }));
    assert.deepEqual(await cached.organizations.domainPolicy(org.id), { allowProfilesOutsideOrganization: false, domains: ['school.example'] });
    await db.store.organizations.update(org.id, { allowProfilesOutsideOrganization: true }); // "another instance"
    assert.equal((await cached.organizations.domainPolicy(org.id))?.allowProfilesOutsideOrganization, false, 'within the TTL');
    await cached.organizations.update(org.id, { domains: [] });
    assert.deepEqual(await cached.organizations.domainPolicy(org.id), { allowProfilesOutsideOrganization: true, domains: [] });
  });

  it('never remembers a miss, and forgets a revoked API key at once', async () => {
    assert.equal(await cached.apiKeys.findByHash('h1'), undefined);
    await db.store.apiKeys.create({ id: 'key_1', name: 'k', hash: 'h1', lastFour: 'abcd' });
    assert.equal((await cached.apiKeys.findByHash('h1'))?.id, 'key_1', 'a key created elsewhere is found at once');
    await cached.apiKeys.revoke('key_1');
    assert.equal(await cached.apiKeys.findByHash('h1'), undefined);
  });
});
