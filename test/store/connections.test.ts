import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { aConnection, anOrganization } from './fixtures.ts';

forEachDatabase('store.connections', (database) => {
  let db: OpenTestDatabase;
  let orgId: string;
  beforeEach(async () => {
    db = await database.open();
    orgId = (await db.store.organizations.create(anOrganization())).id;
  });
  afterEach(() => db.cleanup());

  it('creates a connection and finds it again, role mappings in order', async () => {
    const created = await db.store.connections.create(aConnection(orgId, {
      connectionType: 'GenericOIDC',
      name: 'Okta é 李',
      districtId: null,
      roleMappings: [{ group: 'teachers-ñ', role: 'admin' }, { group: 'staff', role: 'member' }],
    }));
    assert.deepEqual(await db.store.connections.find(created.id), created);
    assert.equal(await db.store.connections.find('conn_missing'), undefined);
  });

  it('refuses a connection for an organization that does not exist', async () => {
    await assert.rejects(db.store.connections.create(aConnection('org_missing')));
  });

  it('updates the given fields only', async () => {
    const created = await db.store.connections.create(aConnection(orgId, { state: 'draft', validationError: 'issuer mismatch' }));
    const updated = await db.store.connections.update(created.id, { state: 'active', validationError: null, roleMappings: [{ group: 'g', role: 'r' }] });
    assert.equal(updated?.state, 'active');
    assert.equal(updated?.validationError, null);
    assert.deepEqual(updated?.roleMappings, [{ group: 'g', role: 'r' }]);
    assert.equal(updated?.clientSecretEncrypted, created.clientSecretEncrypted);
    assert.deepEqual(await db.store.connections.find(created.id), updated);
    assert.equal(await db.store.connections.update('conn_missing', { name: 'x' }), undefined);
  });

  it('destroys a connection', async () => {
    const created = await db.store.connections.create(aConnection(orgId));
    assert.equal(await db.store.connections.destroy(created.id), true);
    assert.equal(await db.store.connections.destroy(created.id), false);
    assert.equal(await db.store.connections.find(created.id), undefined);
  });

  it('lists with organization, type and state filters and pages through them', async () => {
    const otherOrgId = (await db.store.organizations.create(anOrganization())).id;
    const clever1 = await db.store.connections.create(aConnection(orgId));
    const generic = await db.store.connections.create(aConnection(orgId, { connectionType: 'GenericOIDC', districtId: null }));
    const clever2 = await db.store.connections.create(aConnection(orgId, { state: 'inactive' }));
    const elsewhere = await db.store.connections.create(aConnection(otherOrgId));
    const ids = async (filters: object) => (await db.store.connections.list({ limit: 10, order: 'asc', ...filters })).data.map((c) => c.id);
    assert.deepEqual(await ids({}), [clever1.id, generic.id, clever2.id, elsewhere.id]);
    assert.deepEqual(await ids({ organizationId: orgId }), [clever1.id, generic.id, clever2.id]);
    assert.deepEqual(await ids({ organizationId: orgId, connectionType: 'CleverOIDC' }), [clever1.id, clever2.id]);
    assert.deepEqual(await ids({ connectionType: 'CleverOIDC', state: 'active' }), [clever1.id, elsewhere.id]);

    const first = await db.store.connections.list({ limit: 2, order: 'desc', organizationId: orgId });
    assert.deepEqual([first.data.map((c) => c.id), first.before, first.after], [[clever2.id, generic.id], null, generic.id]);
    const second = await db.store.connections.list({ limit: 2, order: 'desc', organizationId: orgId, after: generic.id });
    assert.deepEqual([second.data.map((c) => c.id), second.before, second.after], [[clever1.id], clever1.id, null]);
  });

  it('lists the connections of the organization holding a domain', async () => {
    const holder = await db.store.organizations.create(anOrganization({ domains: [{ id: 'od_1', domain: 'holder.example', state: 'verified' }] }));
    const held = await db.store.connections.create(aConnection(holder.id));
    await db.store.connections.create(aConnection(orgId));
    const ids = async (filters: object) => (await db.store.connections.list({ limit: 10, order: 'asc', ...filters })).data.map((c) => c.id);
    assert.deepEqual(await ids({ domain: 'holder.example' }), [held.id]);
    assert.deepEqual(await ids({ domain: 'holder.example', organizationId: orgId }), [], 'both filters apply');
    assert.deepEqual(await ids({ domain: 'nobody.example' }), []);
  });

  it('finds an organization\'s oldest active connection', async () => {
    const otherOrgId = (await db.store.organizations.create(anOrganization())).id;
    assert.equal(await db.store.connections.findFirstActive(otherOrgId), undefined);
    await db.store.connections.create(aConnection(otherOrgId, { state: 'draft' }));
    const oldest = await db.store.connections.create(aConnection(otherOrgId));
    await db.store.connections.create(aConnection(otherOrgId, { connectionType: 'GenericOIDC' }));
    assert.deepEqual(await db.store.connections.findFirstActive(otherOrgId), oldest);
  });

  it('finds the active Clever connections serving a district', async () => {
    const otherOrgId = (await db.store.organizations.create(anOrganization())).id;
    const serving = await db.store.connections.create(aConnection(orgId, { districtId: 'district-1' }));
    await db.store.connections.create(aConnection(otherOrgId, { districtId: 'district-1', state: 'inactive' }));
    await db.store.connections.create(aConnection(otherOrgId, { districtId: 'district-1', connectionType: 'GenericOIDC' }));
    const otherDistrict = await db.store.connections.create(aConnection(otherOrgId, { districtId: 'district-2' }));
    assert.deepEqual(await db.store.connections.findActiveCleverByDistrict('district-1'), [serving]);
    assert.deepEqual(await db.store.connections.findActiveCleverByDistrict('district-2'), [otherDistrict]);
    assert.deepEqual(await db.store.connections.findActiveCleverByDistrict('district-3'), []);
  });

  it('finds one active Clever connection per Clever app, oldest first', async () => {
    assert.deepEqual(await db.store.connections.activeCleverApps(2), []);
    const first = await db.store.connections.create(aConnection(orgId, { clientId: 'app-1', districtId: 'd1' }));
    await db.store.connections.create(aConnection(orgId, { clientId: 'app-1', districtId: 'd2' }));
    await db.store.connections.create(aConnection(orgId, { clientId: 'app-2', state: 'draft' }));
    await db.store.connections.create(aConnection(orgId, { clientId: 'app-3', connectionType: 'GenericOIDC' }));
    assert.deepEqual((await db.store.connections.activeCleverApps(2)).map((c) => c.id), [first.id], 'one app, however many districts');
    const other = await db.store.connections.create(aConnection(orgId, { clientId: 'app-2', districtId: 'd3' }));
    assert.deepEqual((await db.store.connections.activeCleverApps(2)).map((c) => c.id), [first.id, other.id]);
    assert.equal((await db.store.connections.activeCleverApps(1)).length, 1);
  });
});
