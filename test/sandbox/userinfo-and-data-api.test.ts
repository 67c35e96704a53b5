import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { ids, startTestSandbox, tokensFor } from './helpers.ts';

const { url: base } = await startTestSandbox();

const nandu = await tokensFor(base, 'nandu', 'pw-nandu');
const zoe = await tokensFor(base, 'zoe', 'pw-zoe');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function getJson(path: string, token: string | undefined, init: RequestInit = {}) {
  const response = await fetch(`${base}${path}`, { ...init, headers: { ...(token ? bearer(token) : {}), ...(init.headers as Record<string, string>) } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe('GET|POST /userinfo', () => {
  // Clever's "The /userinfo Endpoint" example, field for field (the legacy shape is in claim-shapes.test.ts).
  const expected = {
    sub: ids.nandu,
    user_id: ids.nandu,
    multi_role_user_id: ids.nandu,
    user_type: 'student',
    district_id: ids.rio,
    district: ids.rio,
    email: 'nandu@rio.example',
    name: { first: 'Ñandú', last: 'Pérez', middle: '' },
    schools: ['56fc1aa290432f7115705065'],
    given_name: 'Ñandú',
    family_name: 'Pérez',
    email_verified: false,
    authorized_by: 'district',
  };

  test('GET answers the user claims with Clever\'s name object', async () => {
    const { status, body } = await getJson('/userinfo', nandu.access_token);
    assert.equal(status, 200);
    assert.deepEqual(body, expected);
  });

  test('POST answers the same', async () => {
    const { body } = await getJson('/userinfo', nandu.access_token, { method: 'POST' });
    assert.deepEqual(body, expected);
  });

  test('middle names appear in name; a user without email has no email claim', async () => {
    const { body } = await getJson('/userinfo', zoe.access_token);
    assert.deepEqual(body.name, { first: 'Zoë', last: '<b>Brontë</b>', middle: 'Él' });
    assert.equal('email' in body, false);
  });

  test('no token, an unknown token or a non-Bearer header → 401', async () => {
    for (const headers of [{}, bearer('nope'), { authorization: `Basic ${nandu.access_token}` }]) {
      const response = await fetch(`${base}/userinfo`, { headers });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate')!, /^Bearer/);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_token');
    }
  });
});

describe('the Data API for SSO tokens', () => {
  test('GET /v3.0/me', async () => {
    const { status, body } = await getJson('/v3.0/me', nandu.access_token);
    assert.equal(status, 200);
    assert.deepEqual(body, {
      type: 'user',
      data: { id: ids.nandu, district: ids.rio, type: 'user', authorized_by: 'district' },
      links: [
        { rel: 'self', uri: '/v3.0/me' },
        { rel: 'canonical', uri: `/v3.0/users/${ids.nandu}` },
        { rel: 'district', uri: `/v3.0/districts/${ids.rio}` },
      ],
    });
  });

  test("GET /v3.0/users/{id}: the token's own user", async () => {
    const { status, body } = await getJson(`/v3.0/users/${ids.nandu}`, nandu.access_token);
    assert.equal(status, 200);
    assert.deepEqual(body, {
      data: {
        id: ids.nandu,
        district: ids.rio,
        email: 'nandu@rio.example',
        name: { first: 'Ñandú', last: 'Pérez' },
        roles: {
          student: {
            credentials: { district_username: 'nandu' },
            grade: '5',
            legacy_id: ids.nandu,
            school: '56fc1aa290432f7115705065',
            schools: ['56fc1aa290432f7115705065'],
            sis_id: 's-1',
          },
        },
      },
      links: [{ rel: 'self', uri: `/v3.0/users/${ids.nandu}` }],
    });
  });

  test('every role in its Data API shape; staff sign in as user_type staff', async () => {
    const school = '56fc1aa290432f7115705065';
    const expected: [string, string, string, Record<string, unknown>][] = [
      ['li', ids.li, 'teacher', { teacher: { credentials: { district_username: 'li' }, legacy_id: ids.li, school, schools: [school], title: 'Profesor' } }],
      ['sam', ids.sam, 'staff', { staff: { credentials: { district_username: 'sam' }, legacy_id: ids.sam, schools: [school], title: 'Principal' } }],
      ['dana', ids.dana, 'district admin', { district_admin: { legacy_id: ids.dana, title: 'Superintendent' } }],
    ];
    for (const [username, id, userType, roles] of expected) {
      const tokens = await tokensFor(base, username, `pw-${username}`);
      assert.equal(decodeJwt(tokens.id_token).user_type, userType, username);
      const { body } = await getJson(`/v3.0/users/${id}`, tokens.access_token);
      assert.deepEqual((body.data as { roles: unknown }).roles, roles, username);
    }
  });

  test('a user without email has email null', async () => {
    const { body } = await getJson(`/v3.0/users/${ids.zoe}`, zoe.access_token);
    assert.equal((body.data as { email: unknown }).email, null);
  });

  test("GET /v3.0/districts/{id}: the token's own district", async () => {
    const { status, body } = await getJson(`/v3.0/districts/${ids.rio}`, nandu.access_token);
    assert.equal(status, 200);
    assert.deepEqual(body, {
      data: { id: ids.rio, name: 'Distrito Río Sandbox', portal_url: `${base}/in/rio` },
      links: [{ rel: 'self', uri: `/v3.0/districts/${ids.rio}` }],
    });
  });

  for (const path of [`/v3.0/users/${ids.zoe}`, `/v3.0/users/${ids.bart}`, '/v3.0/users/nope', `/v3.0/districts/${ids.springfield}`]) {
    test(`${path} is out of the token's scopes → 403`, async () => {
      const { status, body } = await getJson(path, nandu.access_token);
      assert.equal(status, 403);
      assert.deepEqual(body, { error: "Resource not in token's scopes" });
    });
  }

  for (const path of ['/v3.0/me', `/v3.0/users/${ids.nandu}`, `/v3.0/districts/${ids.rio}`]) {
    test(`${path} without a valid token → 401`, async () => {
      assert.equal((await getJson(path, undefined)).status, 401);
      assert.equal((await getJson(path, 'invalid')).status, 401);
    });
  }

  test('other Data API paths → 404 in JSON', async () => {
    const { status, body } = await getJson('/v3.0/sections', nandu.access_token);
    assert.equal(status, 404);
    assert.equal(body.error, 'not_found');
  });
});
