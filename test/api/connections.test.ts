import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ConnectionType, DomainDataState, NotFoundException } from '@workos-inc/node';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { forEachDatabase } from '../support/databases.ts';
import { databaseContents, startApi, type ApiHarness } from './api-kit.ts';
import { startDiscoveryServer, type DiscoveryServer } from './discovery-server.ts';

const DISTRICT = '53ee4b8a44abc88c1c00119b';

forEachDatabase('management API: connections', (database) => {
  let h: ApiHarness;
  let clever: RunningCleverSandbox;
  let idp: DiscoveryServer;
  let cleverDiscovery: string;
  before(async () => {
    h = await startApi(database);
    clever = await startCleverSandbox({ port: 0, logger: false });
    cleverDiscovery = `${clever.url}/.well-known/openid-configuration`;
    idp = await startDiscoveryServer();
  });
  after(async () => {
    await h.close();
    await clever.close();
    await idp.close();
  });

  async function newOrganization(name = 'Shelbyville High', domain?: string) {
    return h.workos.organizations.createOrganization({
      name,
      ...(domain ? { domainData: [{ domain, state: DomainDataState.Verified }] } : {}),
    });
  }

  it('creates a generic OIDC draft with its Redirect URI and what is still missing', async () => {
    const org = await newOrganization();
    const res = await h.api('POST', '/connections', { organization_id: org.id, connection_type: 'GenericOIDC' });
    assert.equal(res.status, 201);
    const conn = res.body;
    assert.match(conn.id, /^conn_[0-9A-Z]{26}$/);
    assert.deepEqual(
      { ...conn, id: undefined, created_at: undefined, updated_at: undefined },
      {
        object: 'connection',
        id: undefined,
        organization_id: org.id,
        connection_type: 'GenericOIDC',
        name: 'Shelbyville High',
        state: 'draft',
        domains: [],
        redirect_uri: `${h.hallpass.url}/sso/oidc/callback/${conn.id}`,
        client_id: null,
        client_secret_set: false,
        discovery_endpoint: null,
        district_id: null,
        role_mappings: [],
        missing_settings: ['client_id', 'client_secret', 'discovery_endpoint'],
        validation_error: null,
        created_at: undefined,
        updated_at: undefined,
      },
    );
    const viaSdk = await h.workos.sso.getConnection(conn.id);
    assert.equal(viaSdk.type, ConnectionType.GenericOIDC);
    assert.equal(viaSdk.state, 'draft');
    assert.equal(viaSdk.organizationId, org.id);
  });

  it('makes a complete generic connection active after validating its discovery endpoint', async () => {
    const org = await newOrganization();
    const res = await h.api('POST', '/connections', {
      organization_id: org.id,
      connection_type: 'GenericOIDC',
      name: 'Okta',
      client_id: 'hallpass-app',
      client_secret: 'generic-secret-value-1',
      discovery_endpoint: idp.endpoint('good'),
      role_mappings: [{ group: 'teachers', role: 'teacher' }, { group: 'staff', role: 'member' }],
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.state, 'active');
    assert.equal(res.body.name, 'Okta');
    assert.equal(res.body.client_secret_set, true);
    assert.deepEqual(res.body.missing_settings, []);
    assert.deepEqual(res.body.role_mappings, [{ group: 'teachers', role: 'teacher' }, { group: 'staff', role: 'member' }]);
  });

  it('gives Clever connections Clever’s discovery endpoint and the first Clever app’s Redirect URI', async () => {
    const org = await newOrganization();
    const draft = await h.api('POST', '/connections', { organization_id: org.id, connection_type: 'CleverOIDC', client_id: 'clever-app' });
    assert.equal(draft.status, 201);
    assert.equal(draft.body.state, 'draft');
    assert.equal(draft.body.discovery_endpoint, 'https://clever.com/.well-known/openid-configuration');
    assert.equal(draft.body.redirect_uri, `${h.hallpass.url}/sso/clever/callback`, 'the first Clever app keeps the short Redirect URI');
    assert.deepEqual(draft.body.missing_settings, ['client_secret', 'district_id']);

    // Completing it against the sandbox makes it active; the district ID is normalized to lower case.
    const done = await h.api('PUT', `/connections/${draft.body.id}`, {
      client_secret: 'clever-secret-value-1',
      district_id: DISTRICT.toUpperCase(),
      discovery_endpoint: cleverDiscovery,
    });
    assert.equal(done.status, 200);
    assert.equal(done.body.state, 'active');
    assert.equal(done.body.district_id, DISTRICT);
    assert.equal(done.body.discovery_endpoint, cleverDiscovery);
    assert.equal(done.body.client_id, 'clever-app');

    // Clearing the endpoint falls back to Clever's own (disabled at the same time, so no call to clever.com is made).
    const reset = await h.api('PUT', `/connections/${draft.body.id}`, { discovery_endpoint: null, state: 'inactive' });
    assert.equal(reset.body.discovery_endpoint, 'https://clever.com/.well-known/openid-configuration');
    assert.equal(reset.body.state, 'inactive');
  });

  it('never returns a client secret, and stores it only encrypted', async () => {
    const secret = 'never-show-me-5b7f0c2e9a1d4e6f8a3b';
    const newSecret = 'never-show-me-either-9c8d7e6f5a4b';
    const org = await newOrganization();
    const created = await h.api('POST', '/connections', {
      organization_id: org.id,
      connection_type: 'CleverOIDC',
      client_id: 'clever-app',
      client_secret: secret,
      district_id: DISTRICT,
      discovery_endpoint: cleverDiscovery,
    });
    const id = created.body.id;
    const updated = await h.api('PUT', `/connections/${id}`, { client_secret: newSecret });
    const texts = [
      created.text,
      updated.text,
      (await h.api('GET', `/connections/${id}`)).text,
      (await h.api('GET', '/connections?limit=100')).text,
    ];
    for (const text of texts) {
      assert.ok(!text.includes(secret) && !text.includes(newSecret), text);
      // Not even the sealed form is sent.
      assert.ok(!/"client_secret[a-z_]*"\s*:\s*"/.test(text) && !text.includes('v1.'), text);
    }
    assert.equal(updated.body.client_secret_set, true);

    const stored = await h.hallpass.store.connections.find(id);
    assert.ok(stored?.clientSecretEncrypted);
    assert.equal(h.hallpass.ctx.secrets.open(stored.clientSecretEncrypted), newSecret);
    const everything = await databaseContents(h.database.databaseUrl);
    assert.ok(everything.includes(stored.clientSecretEncrypted.slice(0, 20)), 'the dump reads the connections table');
    assert.ok(!everything.includes(secret) && !everything.includes(newSecret));

    // null clears the secret, which sends the connection back to draft.
    const cleared = await h.api('PUT', `/connections/${id}`, { client_secret: null });
    assert.equal(cleared.body.client_secret_set, false);
    assert.equal(cleared.body.state, 'draft');
    assert.deepEqual(cleared.body.missing_settings, ['client_secret']);
  });

  it('lists with the SDK, filtered by organization, type and domain, paginated both ways', async () => {
    const orgA = await newOrganization('List A', 'list-a.example');
    const orgB = await newOrganization('List B');
    const ids: string[] = [];
    for (const [org, type] of [[orgA, 'GenericOIDC'], [orgA, 'CleverOIDC'], [orgA, 'GenericOIDC'], [orgB, 'GenericOIDC']] as const) {
      ids.push((await h.api('POST', '/connections', { organization_id: org.id, connection_type: type })).body.id);
    }

    const ofA = await h.workos.sso.listConnections({ organizationId: orgA.id });
    assert.deepEqual(ofA.data.map((c) => c.id), [ids[2], ids[1], ids[0]]);
    assert.ok(ofA.data.every((c) => c.object === 'connection' && Array.isArray(c.domains)));

    const genericOfA = await h.workos.sso.listConnections({ organizationId: orgA.id, connectionType: ConnectionType.GenericOIDC, order: 'asc' });
    assert.deepEqual(genericOfA.data.map((c) => c.id), [ids[0], ids[2]]);
    const byDomain = await h.workos.sso.listConnections({ domain: 'LIST-A.example', connectionType: 'CleverOIDC' as ConnectionType });
    assert.deepEqual(byDomain.data.map((c) => c.id), [ids[1]]);
    assert.deepEqual((await h.workos.sso.listConnections({ domain: 'nobody.example' })).data, []);
    assert.deepEqual((await h.workos.sso.listConnections({ domain: 'list-a.example', organizationId: orgB.id })).data, []);
    assert.deepEqual((await h.workos.sso.listConnections({ connectionType: ConnectionType.OktaSAML })).data, []);

    const page1 = await h.workos.sso.listConnections({ organizationId: orgA.id, limit: 2, order: 'asc' });
    assert.deepEqual(page1.data.map((c) => c.id), [ids[0], ids[1]]);
    assert.deepEqual(page1.listMetadata, { before: null, after: ids[1] });
    const page2 = await h.workos.sso.listConnections({ organizationId: orgA.id, limit: 2, order: 'asc', after: ids[1] });
    assert.deepEqual(page2.data.map((c) => c.id), [ids[2]]);
    assert.deepEqual(page2.listMetadata, { before: ids[2], after: null });
    const back = await h.workos.sso.listConnections({ organizationId: orgA.id, limit: 2, order: 'asc', before: ids[2] });
    assert.deepEqual(back.data.map((c) => c.id), [ids[0], ids[1]]);
    assert.deepEqual(back.listMetadata, { before: null, after: ids[1] });
  });

  it('deletes with the SDK; unknown IDs are 404 entity_not_found', async () => {
    const org = await newOrganization();
    const { body } = await h.api('POST', '/connections', { organization_id: org.id, connection_type: 'GenericOIDC' });
    await h.workos.sso.deleteConnection(body.id);
    await assert.rejects(h.workos.sso.getConnection(body.id), NotFoundException);
    await assert.rejects(h.workos.sso.deleteConnection(body.id), NotFoundException);
    const res = await h.api('PUT', `/connections/${body.id}`, { name: 'ghost' });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { code: 'entity_not_found', message: `Connection not found: '${body.id}'.`, entity_id: body.id });
    // The organization is untouched.
    assert.equal((await h.workos.organizations.getOrganization(org.id)).id, org.id);
  });

  it('refuses a connection for an unknown organization with 404', async () => {
    const res = await h.api('POST', '/connections', { organization_id: 'org_01UNKNOWN', connection_type: 'GenericOIDC' });
    assert.equal(res.status, 404);
    assert.equal(res.body.entity_id, 'org_01UNKNOWN');
  });

  it('replays a create with the same Idempotency-Key', async () => {
    const org = await newOrganization();
    const body = { organization_id: org.id, connection_type: 'GenericOIDC', client_secret: 'idempotent-secret-1' };
    const first = await h.api('POST', '/connections', body, { 'idempotency-key': 'conn-once' });
    const retry = await h.api('POST', '/connections', body, { 'idempotency-key': 'conn-once' });
    assert.equal(retry.status, 201);
    assert.deepEqual(retry.body, first.body);
    assert.equal((await h.workos.sso.listConnections({ organizationId: org.id })).data.length, 1);
    assert.ok(!(await databaseContents(h.database.databaseUrl)).includes('idempotent-secret-1'));
  });
});
