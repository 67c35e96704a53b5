import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { Organization } from '../../src/store/types.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { aConnection, anOrganization } from './fixtures.ts';

forEachDatabase('store.organizations', (database) => {
  let db: OpenTestDatabase;
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  it('creates an organization and finds it again, with UTF-8, JSON, booleans and dates intact', async () => {
    const created = await db.store.organizations.create(anOrganization({
      name: 'Colegio Ñuñoa é 李小龙',
      externalId: 'ext-ñ-1',
      allowProfilesOutsideOrganization: true,
      domains: [
        { id: 'org_domain_b', domain: 'b.example.edu', state: 'verified' },
        { id: 'org_domain_a', domain: 'a.example.edu', state: 'pending' },
      ],
      metadata: { tier: 'gold', note: 'ça va 李' },
    }));
    const found = await db.store.organizations.find(created.id);
    assert.deepEqual(found, created);
    assert.equal(found?.allowProfilesOutsideOrganization, true);
    assert.ok(found?.createdAt instanceof Date);
    assert.deepEqual(found?.domains.map((d) => d.domain), ['b.example.edu', 'a.example.edu'], 'domains keep their order');
    assert.deepEqual(await db.store.organizations.findByExternalId('ext-ñ-1'), created);
  });

  it('round-trips false and empty values', async () => {
    const created = await db.store.organizations.create(anOrganization({ allowProfilesOutsideOrganization: false }));
    const found = await db.store.organizations.find(created.id);
    assert.equal(found?.allowProfilesOutsideOrganization, false);
    assert.deepEqual(found?.domains, []);
    assert.deepEqual(found?.metadata, {});
    assert.equal(found?.externalId, null);
  });

  it('answers undefined for unknown IDs and external IDs', async () => {
    assert.equal(await db.store.organizations.find('org_missing'), undefined);
    assert.equal(await db.store.organizations.findByExternalId('missing'), undefined);
    assert.equal(await db.store.organizations.update('org_missing', { name: 'x' }), undefined);
    assert.equal(await db.store.organizations.destroy('org_missing'), false);
  });

  it('refuses a second organization with the same external ID as a conflict, even when both race', async () => {
    await db.store.organizations.create(anOrganization({ externalId: 'same' }));
    await assert.rejects(db.store.organizations.create(anOrganization({ externalId: 'same' })), { name: 'HallpassError', code: 'conflict' });
    const racing = await Promise.allSettled([1, 2, 3].map(() => db.store.organizations.create(anOrganization({ externalId: 'raced' }))));
    assert.equal(racing.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of racing) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'conflict');
    const other = await db.store.organizations.create(anOrganization({ externalId: 'other' }));
    await assert.rejects(db.store.organizations.update(other.id, { externalId: 'same' }), { code: 'conflict' });
  });

  it('updates the given fields and replaces the domain list when given', async () => {
    const created = await db.store.organizations.create(anOrganization({
      domains: [{ id: 'org_domain_1', domain: 'old.example', state: 'verified' }],
      metadata: { a: '1' },
    }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const renamed = await db.store.organizations.update(created.id, { name: 'Renamed é', allowProfilesOutsideOrganization: true });
    assert.equal(renamed?.name, 'Renamed é');
    assert.equal(renamed?.allowProfilesOutsideOrganization, true);
    assert.deepEqual(renamed?.domains, created.domains, 'domains untouched when not given');
    assert.deepEqual(renamed?.metadata, { a: '1' });
    assert.ok(renamed!.updatedAt > created.updatedAt);
    assert.deepEqual(renamed?.createdAt, created.createdAt);

    const redomained = await db.store.organizations.update(created.id, {
      domains: [{ id: 'org_domain_2', domain: 'new.example', state: 'pending' }, { id: 'org_domain_3', domain: 'other.example', state: 'verified' }],
    });
    assert.deepEqual(redomained?.domains.map((d) => d.domain), ['new.example', 'other.example']);
    assert.deepEqual(await db.store.organizations.find(created.id), redomained);
    assert.deepEqual((await db.store.organizations.update(created.id, { domains: [] }))?.domains, []);
  });

  it('answers the domain policy a login checks: lower-case domains in order, or none, or undefined for an unknown ID', async () => {
    const withDomains = await db.store.organizations.create(anOrganization({
      allowProfilesOutsideOrganization: true,
      domains: [{ id: 'od_1', domain: 'Zeta.Example', state: 'verified' }, { id: 'od_2', domain: 'alpha.example', state: 'pending' }],
    }));
    const without = await db.store.organizations.create(anOrganization());
    assert.deepEqual(await db.store.organizations.domainPolicy(withDomains.id), { allowProfilesOutsideOrganization: true, domains: ['zeta.example', 'alpha.example'] });
    assert.deepEqual(await db.store.organizations.domainPolicy(without.id), { allowProfilesOutsideOrganization: false, domains: [] });
    assert.equal(await db.store.organizations.domainPolicy('org_missing'), undefined);
  });

  it('destroys an organization with its domains and connections', async () => {
    const org = await db.store.organizations.create(anOrganization({ domains: [{ id: 'org_domain_x', domain: 'gone.example', state: 'verified' }] }));
    const conn = await db.store.connections.create(aConnection(org.id));
    assert.equal(await db.store.organizations.destroy(org.id), true);
    assert.equal(await db.store.organizations.find(org.id), undefined);
    assert.equal(await db.store.connections.find(conn.id), undefined);
    assert.deepEqual((await db.store.organizations.list({ limit: 10, order: 'desc', domains: ['gone.example'] })).data, []);
  });

  it('filters by exact match on any of the given domains', async () => {
    const a = await db.store.organizations.create(anOrganization({ domains: [{ id: 'od_a1', domain: 'a.example', state: 'verified' }, { id: 'od_a2', domain: 'shared-prefix.example', state: 'verified' }] }));
    const b = await db.store.organizations.create(anOrganization({ domains: [{ id: 'od_b1', domain: 'b.example', state: 'pending' }] }));
    await db.store.organizations.create(anOrganization({ domains: [{ id: 'od_c1', domain: 'c.example', state: 'verified' }] }));
    const ids = async (domains: string[]) => (await db.store.organizations.list({ limit: 10, order: 'asc', domains })).data.map((o) => o.id);
    assert.deepEqual(await ids(['a.example']), [a.id]);
    assert.deepEqual(await ids(['b.example', 'a.example', 'nobody.example']), [a.id, b.id]);
    assert.deepEqual(await ids(['shared-prefix.example']), [a.id]);
    assert.deepEqual(await ids(['example']), [], 'no partial matches');
    assert.deepEqual(await ids(['A.EXAMPLE']), [], 'exact match');
    const listed = (await db.store.organizations.list({ limit: 10, order: 'asc', domains: ['a.example'] })).data[0];
    assert.deepEqual(listed?.domains.map((d) => d.domain), ['a.example', 'shared-prefix.example'], 'every domain of a match, not only the matching one');
    assert.equal((await ids([])).length, 3, 'an empty filter is no filter');
  });

  it('pages forward and back with WorkOS-style cursors, in both orders', async () => {
    const orgs: Organization[] = [];
    for (let i = 0; i < 5; i++) orgs.push(await db.store.organizations.create(anOrganization({ name: `Org ${i}` })));
    const [o0, o1, o2, o3, o4] = orgs.map((o) => o.id);
    const page = async (options: { order: 'asc' | 'desc'; before?: string; after?: string }) => {
      const result = await db.store.organizations.list({ limit: 2, ...options });
      return { ids: result.data.map((o) => o.id), before: result.before, after: result.after };
    };

    // Newest first (WorkOS's default order).
    assert.deepEqual(await page({ order: 'desc' }), { ids: [o4, o3], before: null, after: o3 });
    assert.deepEqual(await page({ order: 'desc', after: o3 }), { ids: [o2, o1], before: o2, after: o1 });
    assert.deepEqual(await page({ order: 'desc', after: o1 }), { ids: [o0], before: o0, after: null });
    assert.deepEqual(await page({ order: 'desc', before: o0 }), { ids: [o2, o1], before: o2, after: o1 });
    assert.deepEqual(await page({ order: 'desc', before: o2 }), { ids: [o4, o3], before: null, after: o3 });

    // Oldest first.
    assert.deepEqual(await page({ order: 'asc' }), { ids: [o0, o1], before: null, after: o1 });
    assert.deepEqual(await page({ order: 'asc', after: o1 }), { ids: [o2, o3], before: o2, after: o3 });
    assert.deepEqual(await page({ order: 'asc', after: o3 }), { ids: [o4], before: o4, after: null });
    assert.deepEqual(await page({ order: 'asc', before: o4 }), { ids: [o2, o3], before: o2, after: o3 });
    assert.deepEqual(await page({ order: 'asc', before: o2 }), { ids: [o0, o1], before: null, after: o1 });

    // Past either end.
    assert.deepEqual(await page({ order: 'asc', after: o4 }), { ids: [], before: null, after: null });
    assert.deepEqual(await page({ order: 'asc', before: o0 }), { ids: [], before: null, after: null });
    // A page that holds everything has no cursors.
    const all = await db.store.organizations.list({ limit: 5, order: 'asc' });
    assert.deepEqual([all.data.length, all.before, all.after], [5, null, null]);
  });
});
