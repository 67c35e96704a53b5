/**
 * Every kind of bad request gets a 4xx in the API's JSON error format, never a
 * 500 or a stack trace, and leaves what is stored as it was.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { startApi, type ApiHarness } from './api-kit.ts';

interface BadRequest {
  what: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** For 422s: the field the `errors` entry must name. */
  field?: string;
}

forEachDatabase('management API: bad input', (database) => {
  let h: ApiHarness;
  let org: { id: string };
  let conn: { id: string };
  let before_: { org: string; conn: string; orgCount: number; connCount: number };
  before(async () => {
    h = await startApi(database);
    org = (await h.api('POST', '/organizations', { name: 'Kept', external_id: 'kept', domain_data: [{ domain: 'kept.example', state: 'verified' }] })).body;
    conn = (await h.api('POST', '/connections', { organization_id: org.id, connection_type: 'CleverOIDC', client_id: 'kept-client', district_id: 'aaaaaaaaaaaaaaaaaaaaaaaa' })).body;
    before_ = await snapshot();
  });
  after(() => h.close());

  async function snapshot() {
    return {
      org: (await h.api('GET', `/organizations/${org.id}`)).text,
      conn: (await h.api('GET', `/connections/${conn.id}`)).text,
      orgCount: (await h.api('GET', '/organizations?limit=100')).body.data.length,
      connCount: (await h.api('GET', '/connections?limit=100')).body.data.length,
    };
  }

  const cases = (): BadRequest[] => [
    // Transport-level problems.
    { what: 'malformed JSON', method: 'POST', path: '/organizations', body: '{"name": "x",', status: 400, code: 'invalid_request' },
    { what: 'JSON with a __proto__ key', method: 'POST', path: '/organizations', body: '{"name":"x","__proto__":{"admin":true}}', status: 400, code: 'invalid_request' },
    { what: 'a text/plain body', method: 'POST', path: '/organizations', body: 'name=x', headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
    { what: 'a body over the size limit', method: 'POST', path: '/organizations', body: { name: 'x'.repeat(70_000) }, status: 413, code: 'payload_too_large' },
    { what: 'an empty JSON body', method: 'POST', path: '/organizations', body: '', status: 422, code: 'invalid_request_parameters', field: 'body' },
    { what: 'a JSON array body', method: 'POST', path: '/organizations', body: [], status: 422, code: 'invalid_request_parameters', field: 'body' },
    { what: 'a JSON null body', method: 'PUT', path: `/organizations/${org.id}`, body: 'null', status: 422, code: 'invalid_request_parameters', field: 'body' },
    { what: 'an unknown path', method: 'GET', path: '/organizations/x/y', status: 404, code: 'entity_not_found' },
    { what: 'an unsupported method', method: 'PATCH', path: `/organizations/${org.id}`, body: { name: 'x' }, status: 405, code: 'method_not_allowed' },
    // Organizations.
    { what: 'no name', method: 'POST', path: '/organizations', body: {}, status: 422, code: 'invalid_request_parameters', field: 'name' },
    { what: 'a blank name', method: 'POST', path: '/organizations', body: { name: '   ' }, status: 422, code: 'invalid_request_parameters', field: 'name' },
    { what: 'a numeric name', method: 'POST', path: '/organizations', body: { name: 42 }, status: 422, code: 'invalid_request_parameters', field: 'name' },
    { what: 'a bad domain', method: 'POST', path: '/organizations', body: { name: 'x', domain_data: [{ domain: 'not a domain', state: 'verified' }] }, status: 422, code: 'invalid_request_parameters', field: 'domain_data[0].domain' },
    { what: 'a bad domain state', method: 'POST', path: '/organizations', body: { name: 'x', domain_data: [{ domain: 'ok.example', state: 'trusted' }] }, status: 422, code: 'invalid_request_parameters', field: 'domain_data[0].state' },
    { what: 'a repeated domain', method: 'POST', path: '/organizations', body: { name: 'x', domains: ['a.example', 'A.example'] }, status: 422, code: 'invalid_request_parameters', field: 'domains' },
    { what: 'domains and domain_data together', method: 'POST', path: '/organizations', body: { name: 'x', domains: ['a.example'], domain_data: [] }, status: 422, code: 'invalid_request_parameters', field: 'domains' },
    { what: 'metadata with a non-string value', method: 'POST', path: '/organizations', body: { name: 'x', metadata: { n: 1 } }, status: 422, code: 'invalid_request_parameters', field: 'metadata.n' },
    { what: 'metadata with 51 keys', method: 'POST', path: '/organizations', body: { name: 'x', metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, status: 422, code: 'invalid_request_parameters', field: 'metadata' },
    { what: 'a non-boolean allow_profiles_outside_organization', method: 'POST', path: '/organizations', body: { name: 'x', allow_profiles_outside_organization: 'yes' }, status: 422, code: 'invalid_request_parameters', field: 'allow_profiles_outside_organization' },
    { what: 'an over-long Idempotency-Key', method: 'POST', path: '/organizations', body: { name: 'x' }, headers: { 'idempotency-key': 'k'.repeat(256) }, status: 422, code: 'invalid_request_parameters', field: 'Idempotency-Key' },
    { what: 'a bad update', method: 'PUT', path: `/organizations/${org.id}`, body: { name: '', metadata: { a: 'b' } }, status: 422, code: 'invalid_request_parameters', field: 'name' },
    // Lists.
    { what: 'limit 0', method: 'GET', path: '/organizations?limit=0', status: 422, code: 'invalid_request_parameters', field: 'limit' },
    { what: 'limit 101', method: 'GET', path: '/connections?limit=101', status: 422, code: 'invalid_request_parameters', field: 'limit' },
    { what: 'a non-numeric limit', method: 'GET', path: '/organizations?limit=ten', status: 422, code: 'invalid_request_parameters', field: 'limit' },
    { what: 'a bad order', method: 'GET', path: '/connections?order=sideways', status: 422, code: 'invalid_request_parameters', field: 'order' },
    { what: 'both cursors', method: 'GET', path: '/organizations?before=org_a&after=org_b', status: 422, code: 'invalid_request_parameters', field: 'before' },
    { what: 'a repeated cursor', method: 'GET', path: '/organizations?after=org_a&after=org_b', status: 422, code: 'invalid_request_parameters', field: 'after' },
    // Connections.
    { what: 'no connection type', method: 'POST', path: '/connections', body: { organization_id: org.id }, status: 422, code: 'invalid_request_parameters', field: 'connection_type' },
    { what: 'an unsupported connection type', method: 'POST', path: '/connections', body: { organization_id: org.id, connection_type: 'OktaSAML' }, status: 422, code: 'invalid_request_parameters', field: 'connection_type' },
    { what: 'no organization', method: 'POST', path: '/connections', body: { connection_type: 'GenericOIDC' }, status: 422, code: 'invalid_request_parameters', field: 'organization_id' },
    { what: 'a discovery endpoint that is not one', method: 'POST', path: '/connections', body: { organization_id: org.id, connection_type: 'GenericOIDC', discovery_endpoint: 'https://idp.example/login' }, status: 422, code: 'invalid_request_parameters', field: 'discovery_endpoint' },
    { what: 'a discovery endpoint with another scheme', method: 'POST', path: '/connections', body: { organization_id: org.id, connection_type: 'GenericOIDC', discovery_endpoint: 'file:///etc/.well-known/openid-configuration' }, status: 422, code: 'invalid_request_parameters', field: 'discovery_endpoint' },
    { what: 'a malformed district ID', method: 'PUT', path: `/connections/${conn.id}`, body: { district_id: 'district-1' }, status: 422, code: 'invalid_request_parameters', field: 'district_id' },
    { what: 'a district ID on a generic connection', method: 'POST', path: '/connections', body: { organization_id: org.id, connection_type: 'GenericOIDC', district_id: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, status: 422, code: 'invalid_request_parameters', field: 'district_id' },
    { what: 'an empty client secret', method: 'PUT', path: `/connections/${conn.id}`, body: { client_secret: '' }, status: 422, code: 'invalid_request_parameters', field: 'client_secret' },
    { what: 'role mappings that are not a list', method: 'PUT', path: `/connections/${conn.id}`, body: { role_mappings: { g: 'admin' } }, status: 422, code: 'invalid_request_parameters', field: 'role_mappings' },
    { what: 'a role mapping without a role', method: 'PUT', path: `/connections/${conn.id}`, body: { role_mappings: [{ group: 'g' }] }, status: 422, code: 'invalid_request_parameters', field: 'role_mappings[0].role' },
    { what: 'a role that is no slug', method: 'PUT', path: `/connections/${conn.id}`, body: { role_mappings: [{ group: 'g', role: 'Head Teacher' }] }, status: 422, code: 'invalid_request_parameters', field: 'role_mappings[0].role' },
    { what: 'a group mapped twice', method: 'PUT', path: `/connections/${conn.id}`, body: { role_mappings: [{ group: 'g', role: 'a' }, { group: 'g', role: 'b' }] }, status: 422, code: 'invalid_request_parameters', field: 'role_mappings' },
    { what: 'a move to another organization', method: 'PUT', path: `/connections/${conn.id}`, body: { organization_id: 'org_other' }, status: 422, code: 'invalid_request_parameters', field: 'organization_id' },
    { what: 'a change of type', method: 'PUT', path: `/connections/${conn.id}`, body: { connection_type: 'GenericOIDC' }, status: 422, code: 'invalid_request_parameters', field: 'connection_type' },
    { what: 'an unknown state', method: 'PUT', path: `/connections/${conn.id}`, body: { state: 'paused' }, status: 422, code: 'invalid_request_parameters', field: 'state' },
  ];

  it('says "required" only for a field that is absent, not for one with a wrong value', async () => {
    const wrong = await h.api('GET', '/organizations?limit=ten');
    assert.equal(wrong.body.errors[0].code, 'limit_invalid', wrong.text);
    assert.doesNotMatch(wrong.body.errors[0].message, /required/);
    const absent = await h.api('POST', '/connections', { connection_type: 'GenericOIDC' });
    assert.equal(absent.body.errors[0].code, 'organization_id_required', absent.text);
  });

  it('answers each bad request with a 4xx JSON error and no stack trace', async () => {
    for (const c of cases()) {
      const res = await h.api(c.method, c.path, c.body, c.headers);
      assert.equal(res.status, c.status, `${c.what}: ${res.text}`);
      assert.equal(res.body.code, c.code, c.what);
      assert.equal(typeof res.body.message, 'string', c.what);
      assert.ok(!/\bat [\w.]+ \(|node_modules|\.ts:\d+/.test(res.text), `${c.what} leaks internals: ${res.text}`);
      if (c.field !== undefined) {
        assert.ok(Array.isArray(res.body.errors), c.what);
        assert.ok(res.body.errors.some((e: { field: string; code: string; message: string }) => e.field === c.field && e.code && e.message), `${c.what}: ${res.text}`);
      }
    }
  });

  it('ignores unknown fields', async () => {
    const res = await h.api('POST', '/organizations', { name: 'Extra', stripe_customer_id: 'cus_1', favourite_colour: 'teal' });
    assert.equal(res.status, 201);
    assert.ok(!('favourite_colour' in res.body));
    await h.api('DELETE', `/organizations/${res.body.id}`);
  });

  it('leaves everything stored as it was', async () => {
    assert.deepEqual(await snapshot(), before_);
  });
});
