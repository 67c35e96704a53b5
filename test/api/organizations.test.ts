import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import { DomainDataState, NotFoundException, UnprocessableEntityException } from '@workos-inc/node';
import { forEachDatabase } from '../support/databases.ts';
import { startApi, type ApiHarness } from './api-kit.ts';

forEachDatabase('management API: organizations', (database) => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi(database);
  });
  after(() => h.close());
  beforeEach(async () => {
    // Each test starts from no organizations (deleting through the store: these tests are about the API).
    for (let page = await h.hallpass.store.organizations.list({ limit: 100, order: 'asc' }); page.data.length > 0; page = await h.hallpass.store.organizations.list({ limit: 100, order: 'asc' })) {
      for (const org of page.data) await h.hallpass.store.organizations.destroy(org.id);
    }
  });

  it('creates an organization in WorkOS shape, readable through the SDK', async () => {
    const created = await h.workos.organizations.createOrganization({
      name: 'Springfield Elementary',
      domainData: [
        { domain: 'Springfield.EDU', state: DomainDataState.Verified },
        { domain: 'staff.springfield.edu', state: DomainDataState.Pending },
      ],
      externalId: 'district-42',
      metadata: { tier: 'gold' },
    });
    assert.match(created.id, /^org_[0-9A-Z]{26}$/);
    assert.equal(created.object, 'organization');
    assert.equal(created.name, 'Springfield Elementary');
    assert.equal(created.externalId, 'district-42');
    assert.deepEqual(created.metadata, { tier: 'gold' });
    assert.equal(created.allowProfilesOutsideOrganization, false);
    assert.deepEqual(
      created.domains.map((d) => [d.object, d.domain, d.state, d.organizationId, d.verificationStrategy]),
      [
        ['organization_domain', 'springfield.edu', 'verified', created.id, 'manual'],
        ['organization_domain', 'staff.springfield.edu', 'pending', created.id, 'manual'],
      ],
    );
    assert.ok(!Number.isNaN(Date.parse(created.createdAt)) && created.createdAt.endsWith('Z'));

    assert.deepEqual(await h.workos.organizations.getOrganization(created.id), created);
    assert.deepEqual(await h.workos.organizations.getOrganizationByExternalId('district-42'), created);
  });

  it('answers the raw WorkOS JSON: snake_case, domains always an array, nulls explicit', async () => {
    const res = await h.api('POST', '/organizations', { name: 'Bare' });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'allow_profiles_outside_organization', 'created_at', 'domains', 'external_id', 'id', 'metadata', 'name', 'object', 'updated_at',
    ]);
    assert.deepEqual(res.body.domains, []);
    assert.equal(res.body.external_id, null);
    assert.deepEqual(res.body.metadata, {});
  });

  it('accepts the deprecated domains list as verified domains', async () => {
    const res = await h.api('POST', '/organizations', { name: 'Legacy', domains: ['legacy.example'], allow_profiles_outside_organization: true });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.domains.map((d: any) => [d.domain, d.state]), [['legacy.example', 'verified']]);
    assert.equal(res.body.allow_profiles_outside_organization, true);
  });

  it('updates with PUT: only given fields change, domains are replaced, kept domains keep their IDs', async () => {
    const org = await h.workos.organizations.createOrganization({
      name: 'Before',
      domainData: [{ domain: 'keep.example', state: DomainDataState.Pending }, { domain: 'drop.example', state: DomainDataState.Verified }],
      externalId: 'ext-1',
      metadata: { a: '1' },
    });
    const keptId = org.domains[0]!.id;
    const updated = await h.workos.organizations.updateOrganization({
      organization: org.id,
      name: 'After',
      domainData: [{ domain: 'keep.example', state: DomainDataState.Verified }, { domain: 'new.example', state: DomainDataState.Pending }],
    });
    assert.equal(updated.name, 'After');
    assert.equal(updated.externalId, 'ext-1');
    assert.deepEqual(updated.metadata, { a: '1' });
    assert.deepEqual(updated.domains.map((d) => [d.domain, d.state]), [['keep.example', 'verified'], ['new.example', 'pending']]);
    assert.equal(updated.domains[0]!.id, keptId);

    const cleared = await h.api('PUT', `/organizations/${org.id}`, { external_id: null, metadata: { b: '2' } });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.external_id, null);
    assert.deepEqual(cleared.body.metadata, { b: '2' });
    assert.equal(cleared.body.name, 'After');
    await assert.rejects(h.workos.organizations.getOrganizationByExternalId('ext-1'), NotFoundException);
  });

  it('deletes an organization and its connections; a second delete is 404', async () => {
    const org = await h.workos.organizations.createOrganization({ name: 'Doomed' });
    const conn = await h.api('POST', '/connections', { organization_id: org.id, connection_type: 'GenericOIDC' });
    assert.equal(conn.status, 201);
    await h.workos.organizations.deleteOrganization(org.id);
    await assert.rejects(h.workos.organizations.getOrganization(org.id), NotFoundException);
    await assert.rejects(h.workos.sso.getConnection(conn.body.id), NotFoundException);
    const again = await h.api('DELETE', `/organizations/${org.id}`);
    assert.equal(again.status, 404);
    assert.equal(again.body.code, 'entity_not_found');
  });

  it('answers 404 entity_not_found with the entity_id for unknown IDs and external IDs', async () => {
    for (const path of ['/organizations/org_01NOPE', '/organizations/external_id/nobody']) {
      const res = await h.api('GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.code, 'entity_not_found');
      assert.equal(res.body.entity_id, path.split('/').at(-1));
    }
    const put = await h.api('PUT', '/organizations/org_01NOPE', { name: 'x' });
    assert.equal(put.status, 404);
    const err = await h.workos.organizations.getOrganization('org_01NOPE').catch((e: unknown) => e);
    assert.ok(err instanceof NotFoundException);
    assert.match(err.message, /Organization not found/);
  });

  it('lists newest first by default and paginates forwards and backwards', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.workos.organizations.createOrganization({ name: `Org ${i}` })).id);

    const first = await h.workos.organizations.listOrganizations({ limit: 2 });
    assert.deepEqual(first.data.map((o) => o.id), [ids[4], ids[3]]);
    assert.deepEqual(first.listMetadata, { before: null, after: ids[3] });

    const second = await h.workos.organizations.listOrganizations({ limit: 2, after: first.listMetadata.after! });
    assert.deepEqual(second.data.map((o) => o.id), [ids[2], ids[1]]);
    assert.deepEqual(second.listMetadata, { before: ids[2], after: ids[1] });

    const last = await h.workos.organizations.listOrganizations({ limit: 2, after: second.listMetadata.after! });
    assert.deepEqual(last.data.map((o) => o.id), [ids[0]]);
    assert.equal(last.listMetadata.after, null);

    const back = await h.workos.organizations.listOrganizations({ limit: 2, before: second.listMetadata.before! });
    assert.deepEqual(back.data.map((o) => o.id), [ids[4], ids[3]]);
    assert.equal(back.listMetadata.before, null);

    const ascending = await h.workos.organizations.listOrganizations({ order: 'asc', limit: 3 });
    assert.deepEqual(ascending.data.map((o) => o.id), ids.slice(0, 3));

    // The SDK's auto-pagination walks every page.
    const everything = await (await h.workos.organizations.listOrganizations()).autoPagination();
    assert.deepEqual(everything.map((o) => o.id), [...ids].reverse());

    const byDefault = await h.api('GET', '/organizations');
    assert.equal(byDefault.body.object, 'list');
    assert.equal(byDefault.body.data.length, 5);
    assert.deepEqual(byDefault.body.list_metadata, { before: null, after: null });
  });

  it('filters by domains, one or several, case-insensitively', async () => {
    const a = await h.workos.organizations.createOrganization({ name: 'A', domainData: [{ domain: 'a.example', state: DomainDataState.Verified }] });
    const b = await h.workos.organizations.createOrganization({ name: 'B', domainData: [{ domain: 'b.example', state: DomainDataState.Pending }] });
    await h.workos.organizations.createOrganization({ name: 'C' });

    const one = await h.workos.organizations.listOrganizations({ domains: ['A.example'] });
    assert.deepEqual(one.data.map((o) => o.id), [a.id]);
    const two = await h.workos.organizations.listOrganizations({ domains: ['a.example', 'b.example'], order: 'asc' });
    assert.deepEqual(two.data.map((o) => o.id), [a.id, b.id]);
    const none = await h.workos.organizations.listOrganizations({ domains: ['nobody.example'] });
    assert.deepEqual(none.data, []);
  });

  it('replays a create with the same Idempotency-Key instead of creating twice', async () => {
    const first = await h.workos.organizations.createOrganization({ name: 'Once' }, { idempotencyKey: 'create-once-1' });
    const retry = await h.workos.organizations.createOrganization({ name: 'Once' }, { idempotencyKey: 'create-once-1' });
    assert.deepEqual(retry, first);
    const raw = await h.api('POST', '/organizations', { name: 'Once' }, { 'idempotency-key': 'create-once-1' });
    assert.equal(raw.status, 201);
    assert.equal(raw.headers.get('idempotent-replayed'), 'true');
    assert.equal(raw.body.id, first.id);
    const all = await h.workos.organizations.listOrganizations();
    assert.equal(all.data.length, 1);

    // Another body under the same key is refused; a new key creates anew.
    const reused = await h.api('POST', '/organizations', { name: 'Different' }, { 'idempotency-key': 'create-once-1' });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.errors[0].code, 'idempotency_key_reused');
    const other = await h.workos.organizations.createOrganization({ name: 'Once' }, { idempotencyKey: 'create-once-2' });
    assert.notEqual(other.id, first.id);
  });

  it('replays the first answer to a retry even when that answer was an error', async () => {
    await h.workos.organizations.createOrganization({ name: 'Holder', externalId: 'taken' });
    const first = await h.api('POST', '/organizations', { name: 'Late', external_id: 'taken' }, { 'idempotency-key': 'conflicted' });
    assert.equal(first.status, 409);
    const retry = await h.api('POST', '/organizations', { name: 'Late', external_id: 'taken' }, { 'idempotency-key': 'conflicted' });
    assert.equal(retry.status, 409);
    assert.deepEqual(retry.body, first.body);
  });

  it('keeps external IDs and domains unique across organizations (409)', async () => {
    const holder = await h.workos.organizations.createOrganization({
      name: 'Holder',
      externalId: 'unique-ext',
      domainData: [{ domain: 'mine.example', state: DomainDataState.Verified }],
    });
    const err = await h.workos.organizations.createOrganization({ name: 'Copycat', externalId: 'unique-ext' }).catch((e: unknown) => e);
    // The SDK does not export ConflictException; its name and message are what an app sees.
    assert.ok(err instanceof Error && err.name === 'ConflictException');
    assert.match(err.message, new RegExp(holder.id));
    const domainClash = await h.api('POST', '/organizations', { name: 'Copycat', domain_data: [{ domain: 'MINE.example', state: 'pending' }] });
    assert.equal(domainClash.status, 409);
    assert.equal(domainClash.body.code, 'conflict');

    const other = await h.workos.organizations.createOrganization({ name: 'Other' });
    const steal = await h.api('PUT', `/organizations/${other.id}`, { external_id: 'unique-ext' });
    assert.equal(steal.status, 409);
    // The holder may restate its own values.
    const same = await h.api('PUT', `/organizations/${holder.id}`, { external_id: 'unique-ext', domain_data: [{ domain: 'mine.example', state: 'verified' }] });
    assert.equal(same.status, 200);
    assert.equal((await h.workos.organizations.listOrganizations()).data.length, 2);
  });

  it('makes the SDK raise UnprocessableEntityException naming the bad field', async () => {
    const err = await h.workos.organizations.createOrganization({ name: '' }).catch((e: unknown) => e);
    assert.ok(err instanceof UnprocessableEntityException);
    assert.match(err.message, /name_invalid/);
  });
});
