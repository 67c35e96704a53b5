import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { AuditEntry } from '../../src/store/types.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startApi, type ApiHarness } from './api-kit.ts';

forEachDatabase('management API changes in the audit log', (database) => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi(database);
  });
  after(() => h.close());

  async function entries(filters: object = {}): Promise<AuditEntry[]> {
    return (await h.hallpass.store.auditLog.list({ limit: 100, order: 'asc', ...filters })).data;
  }

  it('records organization and connection changes with the API key name as actor, and never a secret', async () => {
    const [testKey] = await h.hallpass.store.apiKeys.list();
    const org = await h.api('POST', '/organizations', { name: 'Springfield', domains: ['springfield.example'] });
    await h.api('PUT', `/organizations/${org.body.id}`, { name: 'Springfield Schools' });
    const secret = 'client-secret-never-logged-1234567890';
    const conn = await h.api('POST', '/connections', { organization_id: org.body.id, connection_type: 'GenericOIDC', client_id: 'cid', client_secret: secret });
    assert.equal(conn.status, 201, conn.text);
    await h.api('PUT', `/connections/${conn.body.id}`, { client_secret: `${secret}-2`, name: 'Okta' });
    await h.api('DELETE', `/connections/${conn.body.id}`);
    await h.api('DELETE', `/organizations/${org.body.id}`);
    // Refused requests change nothing and are not recorded.
    assert.equal((await h.api('PUT', `/organizations/${org.body.id}`, { name: 'x' })).status, 404);
    assert.equal((await h.api('POST', '/organizations', {})).status, 422);

    const log = await entries();
    assert.deepEqual(log.map((e) => [e.action, e.targetId]), [
      ['organization.created', org.body.id],
      ['organization.updated', org.body.id],
      ['connection.created', conn.body.id],
      ['connection.updated', conn.body.id],
      ['connection.deleted', conn.body.id],
      ['organization.deleted', org.body.id],
    ]);
    for (const entry of log) assert.deepEqual(entry.actor, { type: 'api_key', id: testKey!.id, name: 'test' });
    assert.deepEqual(log[1]!.changes, { name: { from: 'Springfield', to: 'Springfield Schools' } });
    assert.deepEqual(log[2]!.changes.client_secret, { to: 'set' });
    assert.deepEqual(log[3]!.changes.client_secret, { to: 'changed' });
    assert.deepEqual(log[3]!.changes.name, { from: 'Springfield Schools', to: 'Okta' });
    assert.equal(log[5]!.changes.name?.from, 'Springfield Schools', 'a deletion keeps what was deleted');
    assert.ok(!JSON.stringify(log).includes(secret), 'the client secret is not in the log');
  });

  it('records API keys and redirect URIs, with the key value never logged, and an Idempotency-Key replay once', async () => {
    const created = await h.api('POST', '/api_keys', { name: 'ci' }, { 'idempotency-key': 'once-only' });
    const replay = await h.api('POST', '/api_keys', { name: 'ci' }, { 'idempotency-key': 'once-only' });
    assert.equal(replay.body.id, created.body.id);
    await h.api('DELETE', `/api_keys/${created.body.id}`);
    const uri = 'https://app.example/cb';
    await h.api('POST', '/redirect_uris', { uri });
    await h.api('PUT', `/redirect_uris/${encodeURIComponent(uri)}`, { default: true });
    await h.api('DELETE', `/redirect_uris/${encodeURIComponent(uri)}`);

    const keys = await entries({ targetType: 'api_key' });
    assert.deepEqual(keys.map((e) => e.action), ['api_key.created', 'api_key.revoked']);
    assert.deepEqual(keys[0]!.changes.value, { to: 'set' });
    assert.deepEqual(keys[0]!.changes.name, { to: 'ci' });
    assert.ok(!JSON.stringify(keys).includes(created.body.value));
    const uris = await entries({ targetType: 'redirect_uri', targetId: uri });
    assert.deepEqual(uris.map((e) => e.action), ['redirect_uri.created', 'redirect_uri.updated', 'redirect_uri.deleted']);
    assert.deepEqual(uris[1]!.changes, { default: { from: false, to: true } });
  });

  it('reads and changes the default role through /settings, recorded with its old and new value', async () => {
    const read = await h.api('GET', '/settings');
    assert.deepEqual([read.status, read.body.object, read.body.default_role], [200, 'settings', 'member']);
    assert.match(read.body.client_id, /^client_/);
    const bad = await h.api('PUT', '/settings', { default_role: 'Not A Slug' });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.errors[0].field, 'default_role');
    const changed = await h.api('PUT', '/settings', { default_role: 'learner' });
    assert.equal(changed.body.default_role, 'learner');
    assert.equal((await h.hallpass.store.settings.get()).defaultRole, 'learner');
    const [entry] = await entries({ targetType: 'settings' });
    assert.equal(entry?.action, 'settings.updated');
    assert.deepEqual(entry?.changes, { default_role: { from: 'member', to: 'learner' } });
  });
});
