/**
 * `Idempotency-Key` at the management API and `/sso/token`: keys are claimed
 * only after authentication, a 5xx answer is not replayed, and a body nested
 * thousands of levels deep is fingerprinted without overflowing the stack.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { hashSecret } from '../../src/secrets.ts';
import { forEachDatabase } from '../support/databases.ts';
import { anAuthorizationCode, secondsFrom } from '../store/fixtures.ts';
import { request, startApi, type ApiHarness } from './api-kit.ts';

/** JSON text of an object whose `deep` field is an array nested `depth` levels (JSON.stringify itself would overflow). */
const withDeep = (fields: Record<string, string>, depth: number) => `${JSON.stringify(fields).slice(0, -1)},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;

forEachDatabase('Idempotency-Key', (database) => {
  let h: ApiHarness;
  before(async () => { h = await startApi(database); });
  after(() => h.close());

  /** A code the app could redeem, stored as the callback would store it. */
  async function aCode(): Promise<string> {
    const code = `code-${Math.random().toString(36).slice(2)}`;
    await h.hallpass.store.codes.save(anAuthorizationCode(secondsFrom(new Date(), 600), { codeHash: hashSecret(code), clientId: h.hallpass.clientId, codeChallenge: null }));
    return code;
  }
  const token = (body: unknown, key: string) => request(`${h.hallpass.url}/sso/token`, 'POST', body, { 'idempotency-key': key });

  it('/sso/token keeps nothing for a request that fails to authenticate', async () => {
    const code = await aCode();
    const stranger = await token({ grant_type: 'authorization_code', client_id: h.hallpass.clientId, client_secret: 'sk_wrong', code }, 'fresh-key-1');
    assert.deepEqual([stranger.status, stranger.body.error], [400, 'invalid_client']);
    // Had the stranger's request claimed the key, this one (another body) would be refused as a reused key.
    const app = await token({ grant_type: 'authorization_code', client_id: h.hallpass.clientId, client_secret: h.hallpass.apiKey, code }, 'fresh-key-1');
    assert.equal(app.status, 200, JSON.stringify(app.body));
    assert.equal(app.headers.get('idempotent-replayed'), null);
  });

  it('a body nested 5,000 levels deep with an Idempotency-Key gets a 4xx, never a 500', async () => {
    const code = await aCode();
    const fields = { grant_type: 'authorization_code', client_id: h.hallpass.clientId, client_secret: h.hallpass.apiKey, code };
    const deepToken = await token(withDeep(fields, 5000), 'deep-1');
    assert.equal(deepToken.status, 200, 'the extra parameter is ignored, as any other');
    const replay = await token(withDeep(fields, 5000), 'deep-1');
    assert.equal(replay.headers.get('idempotent-replayed'), 'true', 'the fingerprint of the deep body matches itself');
    const other = await token(withDeep(fields, 4999), 'deep-1');
    assert.deepEqual([other.status, other.body.error], [400, 'invalid_request'], 'and not another body');

    const deepOrg = await h.api('POST', '/organizations', withDeep({ name: 'Deep' }, 5000), { 'idempotency-key': 'deep-2' });
    assert.ok(deepOrg.status < 500, `${deepOrg.status} ${deepOrg.text.slice(0, 200)}`);
    const deepArray = await h.api('POST', '/organizations', `${'['.repeat(5000)}${']'.repeat(5000)}`, { 'idempotency-key': 'deep-3' });
    assert.equal(deepArray.status, 422);
  });

  it('a 5xx answer releases the key: the retry runs again instead of replaying the failure', async () => {
    const { store } = h.hallpass.ctx;
    const transaction = store.transaction;
    store.transaction = async () => {
      store.transaction = transaction;
      throw new Error('the database went away');
    };
    const body = { name: 'After the outage' };
    const failed = await h.api('POST', '/organizations', body, { 'idempotency-key': 'outage-1' });
    assert.deepEqual([failed.status, failed.body.code], [500, 'server_error']);
    const retry = await h.api('POST', '/organizations', body, { 'idempotency-key': 'outage-1' });
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.headers.get('idempotent-replayed'), null);
    const replay = await h.api('POST', '/organizations', body, { 'idempotency-key': 'outage-1' });
    assert.equal(replay.body.id, retry.body.id);
  });
});
