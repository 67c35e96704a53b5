/**
 * Issue 3's connection states through the API: draft until complete, a saved
 * complete connection is validated against its discovery endpoint (active, or
 * draft with the reason), inactive while disabled.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { startApi, type ApiHarness } from './api-kit.ts';
import { startDiscoveryServer, type DiscoveryCase, type DiscoveryServer } from './discovery-server.ts';

const TIMEOUT_MS = 300;

forEachDatabase('management API: connection states', (database) => {
  let h: ApiHarness;
  let idp: DiscoveryServer;
  let organizationId: string;
  before(async () => {
    h = await startApi(database, { HALLPASS_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) });
    idp = await startDiscoveryServer();
    organizationId = (await h.workos.organizations.createOrganization({ name: 'States' })).id;
  });
  after(async () => {
    await h.close();
    await idp.close();
  });

  function complete(kind: DiscoveryCase) {
    return { organization_id: organizationId, connection_type: 'GenericOIDC', client_id: 'app', client_secret: 'state-secret', discovery_endpoint: idp.endpoint(kind) };
  }

  async function storedState(id: string) {
    const conn = await h.hallpass.store.connections.find(id);
    return [conn?.state, conn?.validationError];
  }

  const failures: [DiscoveryCase, RegExp][] = [
    ['not-found', /^discovery endpoint answered 404$/],
    ['html', /did not answer with JSON/],
    ['array', /not an object of OpenID metadata/],
    ['incomplete', /lacks jwks_uri/],
    ['wrong-issuer', /^issuer https:\/\/idp\.other\.example does not match the discovery endpoint/],
    ['silent', new RegExp(`^timed out after ${TIMEOUT_MS} ms$`)],
  ];
  for (const [kind, reason] of failures) {
    it(`saves a connection whose endpoint fails validation (${kind}) as a draft that says why`, async () => {
      const res = await h.api('POST', '/connections', complete(kind));
      assert.equal(res.status, 201);
      assert.equal(res.body.state, 'draft');
      assert.deepEqual(res.body.missing_settings, []);
      assert.match(res.body.validation_error, reason);
      assert.deepEqual(await storedState(res.body.id), ['draft', res.body.validation_error]);
    });
  }

  it('activates a draft once its endpoint is fixed, and clears the reason', async () => {
    const draft = await h.api('POST', '/connections', complete('wrong-issuer'));
    const fixed = await h.api('PUT', `/connections/${draft.body.id}`, { discovery_endpoint: idp.endpoint('good') });
    assert.equal(fixed.status, 200);
    assert.equal(fixed.body.state, 'active');
    assert.equal(fixed.body.validation_error, null);
    assert.deepEqual(await storedState(draft.body.id), ['active', null]);
  });

  it('validates a draft again on any save, since the IdP may have been fixed meanwhile', async () => {
    const draft = await h.api('POST', '/connections', complete('good'));
    assert.equal(draft.body.state, 'active');
    const broken = await h.api('PUT', `/connections/${draft.body.id}`, { discovery_endpoint: idp.endpoint('not-found') });
    assert.equal(broken.body.state, 'draft');
    const hits = idp.hits('not-found');
    const renamed = await h.api('PUT', `/connections/${draft.body.id}`, { name: 'Still broken' });
    assert.equal(renamed.body.state, 'draft');
    assert.equal(idp.hits('not-found'), hits + 1);
  });

  it('re-validates an active connection only when settings the IdP sees change', async () => {
    const { body: conn } = await h.api('POST', '/connections', complete('good'));
    assert.equal(conn.state, 'active');
    const hits = idp.hits('good');

    const renamed = await h.api('PUT', `/connections/${conn.id}`, { name: 'Renamed', role_mappings: [{ group: 'g1', role: 'admin' }] });
    assert.equal(renamed.body.state, 'active');
    assert.equal(renamed.body.name, 'Renamed');
    assert.equal(idp.hits('good'), hits, 'name and role mappings need no validation');

    const newClient = await h.api('PUT', `/connections/${conn.id}`, { client_id: 'another-app' });
    assert.equal(newClient.body.state, 'active');
    assert.equal(idp.hits('good'), hits + 1);

    const moved = await h.api('PUT', `/connections/${conn.id}`, { discovery_endpoint: idp.endpoint('wrong-issuer') });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.state, 'draft');
    assert.match(moved.body.validation_error, /does not match/);
    // The rest of the settings were kept.
    assert.equal(moved.body.name, 'Renamed');
    assert.deepEqual(moved.body.role_mappings, [{ group: 'g1', role: 'admin' }]);
  });

  it('goes back to draft when a required setting is removed', async () => {
    const { body: conn } = await h.api('POST', '/connections', complete('good'));
    const res = await h.api('PUT', `/connections/${conn.id}`, { client_id: null });
    assert.equal(res.body.state, 'draft');
    assert.deepEqual(res.body.missing_settings, ['client_id']);
    assert.equal(res.body.validation_error, null);
  });

  it('disables with state inactive, stays disabled through edits, and validates on re-enabling', async () => {
    const { body: conn } = await h.api('POST', '/connections', complete('good'));
    const hits = idp.hits('good');

    const disabled = await h.api('PUT', `/connections/${conn.id}`, { state: 'inactive' });
    assert.equal(disabled.body.state, 'inactive');
    const edited = await h.api('PUT', `/connections/${conn.id}`, { client_id: 'edited-while-off' });
    assert.equal(edited.body.state, 'inactive');
    assert.equal(idp.hits('good'), hits, 'a disabled connection is not validated');
    assert.equal((await h.workos.sso.getConnection(conn.id)).state, 'inactive');

    const enabled = await h.api('PUT', `/connections/${conn.id}`, { state: 'active' });
    assert.equal(enabled.body.state, 'active');
    assert.equal(enabled.body.client_id, 'edited-while-off');
    assert.equal(idp.hits('good'), hits + 1);

    await h.api('PUT', `/connections/${conn.id}`, { state: 'inactive' });
    const enabledBroken = await h.api('PUT', `/connections/${conn.id}`, { state: 'active', discovery_endpoint: idp.endpoint('html') });
    assert.equal(enabledBroken.body.state, 'draft');
    assert.match(enabledBroken.body.validation_error, /did not answer with JSON/);
  });

  it('re-enabling an incomplete connection leaves it a draft listing what is missing', async () => {
    const { body: conn } = await h.api('POST', '/connections', { organization_id: organizationId, connection_type: 'CleverOIDC' });
    await h.api('PUT', `/connections/${conn.id}`, { state: 'inactive' });
    const res = await h.api('PUT', `/connections/${conn.id}`, { state: 'active' });
    assert.equal(res.body.state, 'draft');
    assert.deepEqual(res.body.missing_settings, ['client_id', 'client_secret', 'district_id']);
  });

  it('does not let a client set draft (a state the broker decides)', async () => {
    const { body: conn } = await h.api('POST', '/connections', complete('good'));
    const res = await h.api('PUT', `/connections/${conn.id}`, { state: 'draft' });
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].field, 'state');
    assert.deepEqual(await storedState(conn.id), ['active', null]);
  });
});
