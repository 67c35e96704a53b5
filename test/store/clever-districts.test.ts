import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { aConnection, aLoginAttempt, anOrganization } from './fixtures.ts';

forEachDatabase('store.cleverDistricts', (database) => {
  let db: OpenTestDatabase;
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  it('groups active Clever connections by app, then district, with their organization', async () => {
    const springfield = await db.store.organizations.create(anOrganization({ name: 'Springfield' }));
    const shelbyville = await db.store.organizations.create(anOrganization({ name: 'Shelbyville' }));
    const s1 = await db.store.connections.create(aConnection(springfield.id, { clientId: 'app-a', districtId: 'district-1' }));
    const s2 = await db.store.connections.create(aConnection(shelbyville.id, { clientId: 'app-a', districtId: 'district-2' }));
    const s3 = await db.store.connections.create(aConnection(shelbyville.id, { clientId: 'app-b', districtId: 'district-3' }));
    await db.store.connections.create(aConnection(springfield.id, { clientId: 'app-a', districtId: 'district-4', state: 'inactive' }));
    await db.store.connections.create(aConnection(springfield.id, { connectionType: 'GenericOIDC', clientId: 'app-a', districtId: null }));

    assert.deepEqual(await db.store.cleverDistricts.served(), [
      {
        clientId: 'app-a',
        districts: [
          { districtId: 'district-2', organizationId: shelbyville.id, organizationName: 'Shelbyville', connectionId: s2.id },
          { districtId: 'district-1', organizationId: springfield.id, organizationName: 'Springfield', connectionId: s1.id },
        ],
      },
      { clientId: 'app-b', districts: [{ districtId: 'district-3', organizationId: shelbyville.id, organizationName: 'Shelbyville', connectionId: s3.id }] },
    ]);
  });

  it('counts sign-ins from districts no active connection serves, until one does', async () => {
    const org = await db.store.organizations.create(anOrganization());
    await db.store.connections.create(aConnection(org.id, { districtId: 'served' }));
    const inactive = await db.store.connections.create(aConnection(org.id, { districtId: 'unserved-1', state: 'inactive' }));
    await db.store.loginAttempts.create(aLoginAttempt({ districtId: 'served' }));
    await db.store.loginAttempts.create(aLoginAttempt({ districtId: 'unserved-1', outcome: 'failed' }));
    await db.store.loginAttempts.create(aLoginAttempt({ districtId: 'unserved-2', outcome: 'failed' }));
    const last = await db.store.loginAttempts.create(aLoginAttempt({ districtId: 'unserved-1', outcome: 'failed' }));
    await db.store.loginAttempts.create(aLoginAttempt({ districtId: null }));

    const unserved = await db.store.cleverDistricts.unserved(10);
    assert.deepEqual(unserved.map((d) => [d.districtId, d.signIns]), [['unserved-1', 2], ['unserved-2', 1]]);
    assert.equal(unserved[0]!.lastAt.getTime(), last.createdAt.getTime());

    await db.store.connections.update(inactive.id, { state: 'active' });
    assert.deepEqual((await db.store.cleverDistricts.unserved(10)).map((d) => d.districtId), ['unserved-2']);
    assert.equal((await db.store.cleverDistricts.unserved(0)).length, 0);
  });
});
