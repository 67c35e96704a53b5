import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { UnauthorizedException, WorkOS } from '@workos-inc/node';
import { newId } from '../../src/ids.ts';
import { hashSecret, newSecret } from '../../src/secrets.ts';
import { forEachDatabase } from '../support/databases.ts';
import { request, startApi, type ApiHarness } from './api-kit.ts';

forEachDatabase('management API authentication', (database) => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi(database);
  });
  after(() => h.close());

  it('answers 401 with a JSON error and a Bearer challenge when no key is sent', async () => {
    for (const path of ['/organizations', '/connections', '/organizations/org_x', '/connections/conn_x']) {
      const res = await request(`${h.hallpass.url}${path}`, 'GET');
      assert.equal(res.status, 401, path);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      assert.equal(res.body.code, 'unauthorized');
      assert.match(res.body.message, /Missing API key/);
    }
  });

  it('answers 401 to an unknown key, a malformed header and another scheme, without echoing the key', async () => {
    const wrongKey = 'sk_this_key_was_never_issued';
    for (const authorization of [`Bearer ${wrongKey}`, 'Bearer', `Basic ${Buffer.from(`${wrongKey}:`).toString('base64')}`, h.hallpass.apiKey]) {
      const res = await request(`${h.hallpass.url}/organizations`, 'GET', undefined, { authorization });
      assert.equal(res.status, 401, authorization);
      assert.equal(res.body.code, 'unauthorized');
      assert.ok(!res.text.includes(wrongKey) && !res.text.includes(h.hallpass.apiKey));
    }
  });

  it('refuses writes without a key and changes nothing', async () => {
    const res = await request(`${h.hallpass.url}/organizations`, 'POST', { name: 'Sneaky' }, {});
    assert.equal(res.status, 401);
    const list = await h.workos.organizations.listOrganizations();
    assert.deepEqual(list.data, []);
  });

  it('makes the SDK raise UnauthorizedException for a bad key', async () => {
    const { port } = new URL(h.hallpass.url);
    const stranger = new WorkOS('sk_wrong', { apiHostname: '127.0.0.1', port: Number(port), https: false });
    await assert.rejects(stranger.organizations.listOrganizations(), UnauthorizedException);
    await assert.rejects(stranger.sso.getConnection('conn_x'), UnauthorizedException);
  });

  it('accepts the scheme name in any case', async () => {
    const res = await request(`${h.hallpass.url}/organizations`, 'GET', undefined, { authorization: `bearer ${h.hallpass.apiKey}` });
    assert.equal(res.status, 200);
  });

  it('stops accepting a key once it is revoked', async () => {
    const key = newSecret('sk');
    const record = await h.hallpass.store.apiKeys.create({ id: newId('key'), name: 'temporary', hash: hashSecret(key), lastFour: key.slice(-4) });
    const listWith = () => request(`${h.hallpass.url}/organizations`, 'GET', undefined, { authorization: `Bearer ${key}` });
    assert.equal((await listWith()).status, 200);
    await h.hallpass.store.apiKeys.revoke(record.id);
    assert.equal((await listWith()).status, 401);
  });
});
