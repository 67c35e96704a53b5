/** The dashboard's organization search: part of a name or of a domain, any case, `%` and `_` taken literally. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';

forEachDatabase('organizations.list search', (database) => {
  let db: OpenTestDatabase;
  beforeEach(async () => {
    db = await database.open();
    const make = (id: string, name: string, domains: string[]) =>
      db.store.organizations.create({ id, name, externalId: null, allowProfilesOutsideOrganization: false, metadata: {}, domains: domains.map((domain, i) => ({ id: `${id}_d${i}`, domain, state: 'verified' as const })) });
    await make('org_1', 'Springfield Schools', ['springfield.k12.example']);
    await make('org_2', 'Shelbyville 100% Academy', ['shelby.example']);
    await make('org_3', 'Ogdenville', ['ogden_ville.example']);
  });
  afterEach(() => db.cleanup());

  const names = async (search: string) => (await db.store.organizations.list({ limit: 10, order: 'asc', search })).data.map((o) => o.name);

  it('matches part of a name in any case', async () => {
    assert.deepEqual(await names('SPRING'), ['Springfield Schools']);
    assert.deepEqual(await names('ville'), ['Shelbyville 100% Academy', 'Ogdenville']);
  });

  it('matches part of a domain', async () => {
    assert.deepEqual(await names('k12'), ['Springfield Schools']);
  });

  it('takes % and _ literally', async () => {
    assert.deepEqual(await names('100%'), ['Shelbyville 100% Academy']);
    assert.deepEqual(await names('%'), ['Shelbyville 100% Academy']);
    assert.deepEqual(await names('n_v'), ['Ogdenville']);
    assert.deepEqual(await names('_'), ['Ogdenville']);
  });
});
