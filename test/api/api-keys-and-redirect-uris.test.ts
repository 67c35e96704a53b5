import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { databaseContents, request, startApi, type ApiHarness } from './api-kit.ts';

forEachDatabase('management API: /api_keys and /redirect_uris', (database) => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi(database);
  });
  after(() => h.close());

  it('creates a key shown once, lists keys without their value, and a revoked key gets 401 at once', async () => {
    const created = await h.api('POST', '/api_keys', { name: 'Deploy bot — Ñandú' });
    assert.equal(created.status, 201, created.text);
    const key: string = created.body.value;
    assert.match(key, /^sk_/);
    assert.equal(created.body.obfuscated_value, `sk_…${key.slice(-4)}`);

    const withNewKey = await request(`${h.hallpass.url}/organizations`, 'GET', undefined, { authorization: `Bearer ${key}` });
    assert.equal(withNewKey.status, 200);

    const list = await h.api('GET', '/api_keys');
    assert.equal(list.status, 200);
    assert.equal(list.body.object, 'list');
    const listed = list.body.data.find((k: { id: string }) => k.id === created.body.id);
    assert.equal(listed.name, 'Deploy bot — Ñandú');
    assert.ok(listed.last_used_at, 'the new key was just used');
    assert.equal(listed.value, undefined);
    assert.ok(!list.text.includes(key) && !list.text.includes(h.hallpass.apiKey), 'no key value is listed');
    assert.ok(!(await databaseContents(h.database.databaseUrl)).includes(key), 'the database holds only its hash');

    const revoked = await h.api('DELETE', `/api_keys/${created.body.id}`);
    assert.equal(revoked.status, 204);
    const refused = await request(`${h.hallpass.url}/organizations`, 'GET', undefined, { authorization: `Bearer ${key}` });
    assert.equal(refused.status, 401);
    assert.match(refused.body.message, /revoked/);
    assert.equal((await h.api('GET', '/api_keys')).body.data.some((k: { id: string }) => k.id === created.body.id), false);
  });

  it('answers 404 for an unknown key and 422 for a nameless one', async () => {
    const missing = await h.api('DELETE', '/api_keys/key_nope');
    assert.equal(missing.status, 404);
    assert.deepEqual([missing.body.code, missing.body.entity_id], ['entity_not_found', 'key_nope']);
    const nameless = await h.api('POST', '/api_keys', { name: '  ' });
    assert.equal(nameless.status, 422);
    assert.equal(nameless.body.errors[0].field, 'name');
  });

  it('adds, lists, makes default and removes redirect URIs; the URI in the path is percent-encoded', async () => {
    const uri = 'https://app.example/callback?tenant=ñandú';
    const path = `/redirect_uris/${encodeURIComponent(uri)}`;
    const added = await h.api('POST', '/redirect_uris', { uri });
    assert.equal(added.status, 201, added.text);
    assert.deepEqual([added.body.object, added.body.uri, added.body.default], ['redirect_uri', uri, false]);
    assert.equal((await h.api('POST', '/redirect_uris', { uri })).status, 409);

    const made = await h.api('PUT', path, { default: true });
    assert.equal(made.status, 200, made.text);
    assert.equal(made.body.default, true);
    const list = await h.api('GET', '/redirect_uris');
    assert.deepEqual(list.body.data.filter((r: { default: boolean }) => r.default).map((r: { uri: string }) => r.uri), [uri], 'one default only');
    assert.equal((await h.hallpass.store.settings.get()).defaultRedirectUri, uri);

    const unset = await h.api('PUT', path, { default: false });
    assert.equal(unset.body.default, false);
    assert.equal((await h.hallpass.store.settings.get()).defaultRedirectUri, null);

    await h.api('PUT', path, { default: true });
    const removed = await h.api('DELETE', path);
    assert.equal(removed.status, 204);
    assert.equal((await h.api('GET', '/redirect_uris')).body.data.some((r: { uri: string }) => r.uri === uri), false);
    assert.equal((await h.hallpass.store.settings.get()).defaultRedirectUri, null, 'removing the default clears it');
    assert.equal((await h.api('DELETE', path)).status, 404);
  });

  it('refuses redirect URIs that are not absolute http(s) without a fragment, with 422 naming the field', async () => {
    for (const uri of ['not a url', 'ftp://app.example/cb', 'https://app.example/cb#frag', 'javascript:alert(1)']) {
      const res = await h.api('POST', '/redirect_uris', { uri });
      assert.equal(res.status, 422, uri);
      assert.equal(res.body.errors[0].field, 'uri');
    }
    assert.equal((await h.api('PUT', `/redirect_uris/${encodeURIComponent('https://nope.example/')}`, { default: true })).status, 404);
    assert.equal((await h.api('PUT', `/redirect_uris/${encodeURIComponent('http://127.0.0.1:1/callback')}`, { default: 'yes' })).status, 422);
  });
});
