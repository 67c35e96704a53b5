import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';

forEachDatabase('store settings, redirect URIs and API keys', (database) => {
  let db: OpenTestDatabase;
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  it('creates the settings on first read with a fresh client ID, then keeps them', async () => {
    const first = await db.store.settings.get();
    assert.match(first.clientId, /^client_[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.deepEqual(first, { clientId: first.clientId, defaultRedirectUri: null, defaultRole: 'member', firstCleverClientId: null, vendorName: null });
    assert.deepEqual(await db.store.settings.get(), first);
  });

  it('agrees on one client ID when several callers create the settings at once', async () => {
    const all = await Promise.all(Array.from({ length: 5 }, () => db.store.settings.get()));
    assert.equal(new Set(all.map((s) => s.clientId)).size, 1);
  });

  it('updates the default role and the default redirect URI, which joins the allow-list', async () => {
    const { clientId } = await db.store.settings.get();
    const updated = await db.store.settings.update({ defaultRole: 'viewer', defaultRedirectUri: 'https://app.example/ñ' });
    assert.deepEqual(updated, { clientId, defaultRole: 'viewer', defaultRedirectUri: 'https://app.example/ñ', firstCleverClientId: null, vendorName: null });
    assert.deepEqual((await db.store.redirectUris.list()).map((r) => [r.uri, r.isDefault]), [['https://app.example/ñ', true]]);
    assert.deepEqual(await db.store.settings.update({ defaultRedirectUri: null }), { clientId, defaultRole: 'viewer', defaultRedirectUri: null, firstCleverClientId: null, vendorName: null });
  });

  it('keeps an allow-list of redirect URIs with one default', async () => {
    const a = await db.store.redirectUris.add('https://a.example/callback', false);
    assert.equal(a.isDefault, false);
    assert.ok(a.createdAt instanceof Date);
    assert.equal((await db.store.redirectUris.add('https://b.example/callback', true)).isDefault, true);
    assert.deepEqual(await db.store.redirectUris.add('https://a.example/callback', false), a, 'adding again changes nothing');
    assert.equal((await db.store.settings.get()).defaultRedirectUri, 'https://b.example/callback');

    assert.equal((await db.store.redirectUris.add('https://a.example/callback', true)).isDefault, true, 'the default moves');
    assert.deepEqual((await db.store.redirectUris.list()).map((r) => [r.uri, r.isDefault]), [
      ['https://a.example/callback', true],
      ['https://b.example/callback', false],
    ]);

    assert.equal(await db.store.redirectUris.remove('https://a.example/callback'), true);
    assert.equal(await db.store.redirectUris.remove('https://a.example/callback'), false);
    assert.equal((await db.store.settings.get()).defaultRedirectUri, null, 'removing the default clears it');
    assert.deepEqual((await db.store.redirectUris.list()).map((r) => r.uri), ['https://b.example/callback']);
  });

  it('finds API keys by hash only, stamps their use, and revokes them', async () => {
    const created = await db.store.apiKeys.create({ id: 'key_1', name: 'Producción é', hash: 'sha256-of-key', lastFour: 'wxyz' });
    assert.deepEqual(created, { id: 'key_1', name: 'Producción é', lastFour: 'wxyz', createdAt: created.createdAt, lastUsedAt: null });
    assert.deepEqual(await db.store.apiKeys.list(), [created]);

    const found = await db.store.apiKeys.findByHash('sha256-of-key');
    assert.ok(found?.lastUsedAt instanceof Date);
    assert.deepEqual((await db.store.apiKeys.list())[0]?.lastUsedAt, found.lastUsedAt);
    assert.equal(await db.store.apiKeys.findByHash('key_1'), undefined);

    assert.equal(await db.store.apiKeys.revoke('key_1'), true);
    assert.equal(await db.store.apiKeys.findByHash('sha256-of-key'), undefined);
    assert.equal(await db.store.apiKeys.revoke('key_1'), false);
  });

  it('refuses two API keys with the same hash', async () => {
    await db.store.apiKeys.create({ id: 'key_1', name: 'a', hash: 'same', lastFour: '1111' });
    await assert.rejects(db.store.apiKeys.create({ id: 'key_2', name: 'b', hash: 'same', lastFour: '2222' }));
  });
});
