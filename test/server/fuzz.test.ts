/**
 * Malformed input to every endpoint of both servers — the broker and the
 * Clever sandbox: repeated, missing, oversized and badly encoded parameters,
 * wrong methods and content types, deeply nested JSON, bogus cookies and
 * credentials, odd path parameters. No answer may be a 5xx, and no body may
 * hold a stack trace. Deterministic (a seeded generator) and bounded: a few
 * thousand requests.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { createOrgWithConnection } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT } from '../support/clever-seed.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';

const APP = 'http://127.0.0.1:9/app';
const VARIANTS_PER_ENDPOINT = 90;
const CONCURRENCY = 12;

/** mulberry32: a small seeded generator, so a failure replays exactly. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Endpoint {
  method: string;
  /** Path with `:param` placeholders. */
  path: string;
  /** Parameter names worth mangling (query for GET, body for POST). */
  params: string[];
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

const NASTY_VALUES = [
  '', ' ', '%', '%zz', '%E0%A4%A', '%C3%28', '%00', '%FF%FE', '\u0000', '☃', '𝕳𝖆𝖑𝖑', 'a'.repeat(10_000), '%2e%2e%2f%2e%2e%2f', '../../etc/passwd',
  '<script>alert(1)</script>', '"\'`', '${7*7}', '{{7*7}}', 'null', 'undefined', 'true', '-1', '1e309', 'NaN', '0x41', '[]', '{}', '__proto__',
  'https://evil.example/cb', 'javascript:alert(1)', 'http://127.0.0.1:9/app#frag', 'data:text/html,x', 'S256', 'code', 'authorization_code',
];
const NASTY_NAMES = ['__proto__', 'constructor', 'constructor[prototype][x]', 'a[]', 'a[b][c]', '', '%', '%zz', 'x'.repeat(3000)];
const PATH_PARAMS = ['x', 'a'.repeat(600), '%2F', '..', '%00', '☃', '%E0%A4%A', 'conn_' + '0'.repeat(26), 'org_%25'];
const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=zzz',
  'application/x-www-form-urlencoded; charset=latin1',
  '',
  'application/json, text/html',
  '*/*',
];
const COOKIES = ['hallpass_login=%%%', '=; ; ;=', 'hallpass_login=' + 'A'.repeat(8000), 'a=b; a=c; a=d', 'hallpass_login="unterminated', 'clever_session=\u00ff\u00fe'];
const AUTHORIZATIONS = ['Bearer', 'Bearer ' + 'x'.repeat(9000), 'Basic !!!', 'Basic ' + Buffer.from(':').toString('base64'), 'Bearer sk_\u00ff', 'Negotiate abc', 'Bearer a b c'];

function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** Encodes a query/form pair, sometimes raw (badly encoded on purpose). */
function pair(rand: () => number, name: string, value: string): string {
  return rand() < 0.5 ? `${encodeURIComponent(name)}=${encodeURIComponent(value)}` : `${name.replace(/[\s#&?/]/g, '')}=${value.replace(/[\s#&?]/g, '')}`;
}

function buildParams(rand: () => number, endpoint: Endpoint, valid: Record<string, string>): string {
  const parts: string[] = [];
  for (const name of endpoint.params) {
    const roll = rand();
    if (roll < 0.15) continue; // missing
    const good = valid[name] ?? pick(rand, NASTY_VALUES);
    if (roll < 0.3) parts.push(pair(rand, name, good), pair(rand, name, pick(rand, NASTY_VALUES))); // repeated
    else if (roll < 0.6) parts.push(pair(rand, name, good));
    else parts.push(pair(rand, name, pick(rand, NASTY_VALUES)));
  }
  if (rand() < 0.3) parts.push(pair(rand, pick(rand, NASTY_NAMES), pick(rand, NASTY_VALUES)));
  return parts.join('&');
}

function variants(endpoint: Endpoint, valid: Record<string, string>, seed: number): FuzzRequest[] {
  const rand = random(seed);
  const out: FuzzRequest[] = [];
  for (let i = 0; i < VARIANTS_PER_ENDPOINT; i++) {
    const method = rand() < 0.15 ? pick(rand, ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) : endpoint.method;
    let path = endpoint.path.replace(/:(\w+)/g, (_m, name: string) => (rand() < 0.5 && valid[`:${name}`] ? valid[`:${name}`]! : pick(rand, PATH_PARAMS)));
    const params = buildParams(rand, endpoint, valid);
    const headers: Record<string, string> = {};
    if (rand() < 0.3) headers.cookie = pick(rand, COOKIES);
    if (rand() < 0.5) headers.authorization = rand() < 0.5 && valid.authorization ? valid.authorization : pick(rand, AUTHORIZATIONS);
    if (rand() < 0.15) headers['idempotency-key'] = pick(rand, ['', 'k'.repeat(500), 'same-key', 'cl\u00e9']);
    let body: string | Buffer | undefined;
    if (method === 'GET' || method === 'HEAD' || method === 'DELETE') {
      if (params) path += `?${params}`;
      if (rand() < 0.05) path += `&${params}`;
    } else {
      const shape = rand();
      const type = pick(rand, CONTENT_TYPES);
      if (type) headers['content-type'] = type;
      if (shape < 0.35) body = params;
      else if (shape < 0.5) body = deepJson(rand() < 0.5 ? 20 : 5000, rand() < 0.5 ? 'array' : 'object');
      else if (shape < 0.6) body = '{"name": "x", "domains": ' + deepJson(3000, 'array') + '}';
      // Deep JSON is meant for the JSON parser: label it so most of the time.
      if (shape >= 0.35 && shape < 0.6 && rand() < 0.8) headers['content-type'] = 'application/json';
      else if (shape < 0.7) body = '{"broken": ';
      else if (shape < 0.75) body = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]);
      else if (shape < 0.8) body = 'x='.padEnd(70_000, 'y'); // over the 64 KB limit
      else if (shape < 0.9) body = JSON.stringify(Object.fromEntries(endpoint.params.map((p) => [p, rand() < 0.5 ? (valid[p] ?? 1) : [pick(rand, NASTY_VALUES), { nested: true }]])));
      else body = '';
    }
    out.push({ method, path, headers, body });
  }
  return out;
}

/** Every body that has broken parsers before, on every endpoint that takes one, with and without an Idempotency-Key. */
function hostileBodies(endpoint: Endpoint, valid: Record<string, string>, index: number): FuzzRequest[] {
  const path = endpoint.path.replace(/:(\w+)/g, (_m, name: string) => valid[`:${name}`] ?? 'x');
  const headers: Record<string, string> = valid.authorization ? { authorization: valid.authorization } : {};
  const bodies: Array<[string, string | Buffer]> = [
    ['application/json', deepJson(5000, 'array')],
    ['application/json', deepJson(5000, 'object')],
    ['application/json', `{"name":"x","domains":${deepJson(3000, 'array')}}`],
    ['application/json', '{"broken": '],
    ['application/json', ''],
    ['application/json', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'],
    ['application/json', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['application/x-www-form-urlencoded', endpoint.params.map((p) => `${p}=1&${p}=2`).join('&')],
    ['application/x-www-form-urlencoded', '%zz=%E0%A4%A&%C3%28=%00'],
    ['application/x-www-form-urlencoded', 'x='.padEnd(70_000, 'y')],
    ['text/plain', 'hello'],
  ];
  const out: FuzzRequest[] = [];
  for (const [i, [type, body]] of bodies.entries()) {
    for (const key of [undefined, `hostile-${index}-${i}`]) {
      out.push({ method: endpoint.method, path, headers: { ...headers, 'content-type': type, ...(key ? { 'idempotency-key': key } : {}) }, body });
    }
  }
  return out;
}

interface Problem {
  request: string;
  status: number;
  body: string;
}

async function send(agent: http.Agent, base: string, request: FuzzRequest): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15 s')));
    req.end(request.body);
  });
}

const STACK_TRACE = /\n\s+at \S.*(\(|\s)\S+:\d+:\d+\)?|node:internal|node_modules\//;

async function fuzz(base: string, requests: FuzzRequest[]): Promise<{ sent: number; problems: Problem[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const problems: Problem[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const label = `${request.method} ${request.path.slice(0, 160)} ${JSON.stringify(request.headers).slice(0, 160)} body=${String(request.body ?? '').slice(0, 80)}`;
      try {
        const answer = await send(agent, base, request);
        if (answer.status >= 500 || STACK_TRACE.test(answer.body)) problems.push({ request: label, status: answer.status, body: answer.body.slice(0, 300) });
      } catch (err) {
        // A server may close a connection on a request it cannot parse (400 from Node) — but never hang.
        if (/no answer/.test((err as Error).message)) problems.push({ request: label, status: 0, body: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  return { sent: requests.length, problems };
}

describe('fuzzing both servers', { timeout: 240_000 }, () => {
  let hallpass: RunningHallpass;
  let sandbox: RunningCleverSandbox;
  let connectionId: string;
  let organizationId: string;

  before(async () => {
    hallpass = await startHallpass({ redirectUris: [APP], env: { HALLPASS_TEST_SSO: 'true' } });
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
    ({ connectionId, organizationId } = await createOrgWithConnection(hallpass, { name: 'Fuzz District' }, {
      connection_type: 'CleverOIDC',
      client_id: HALLPASS_APP.clientId,
      client_secret: HALLPASS_APP.clientSecret,
      discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
      district_id: SANDBOX_DISTRICT,
    }));
  });
  after(async () => {
    await sandbox?.close();
    await hallpass?.close();
  });

  it('finds no 5xx and no stack trace on the broker', async () => {
    const valid: Record<string, string> = {
      client_id: hallpass.clientId,
      redirect_uri: APP,
      response_type: 'code',
      organization: organizationId,
      connection: connectionId,
      provider: 'CleverOIDC',
      grant_type: 'authorization_code',
      client_secret: hallpass.apiKey,
      authorization: `Bearer ${hallpass.apiKey}`,
      ':id': connectionId,
      ':connectionId': connectionId,
      ':externalId': 'nope',
      name: 'Fuzzed',
      connection_type: 'GenericOIDC',
      organization_id: organizationId,
    };
    const endpoints: Endpoint[] = [
      { method: 'GET', path: '/health', params: [] },
      { method: 'GET', path: '/ready', params: [] },
      { method: 'GET', path: '/static/styles.css', params: [] },
      { method: 'GET', path: '/sso/authorize', params: ['client_id', 'redirect_uri', 'response_type', 'state', 'organization', 'connection', 'provider', 'login_hint', 'code_challenge', 'code_challenge_method'] },
      { method: 'GET', path: '/sso/clever/callback', params: ['code', 'state', 'error', 'error_description', 'scope'] },
      { method: 'GET', path: '/sso/oidc/callback/:connectionId', params: ['code', 'state', 'error', 'error_description', 'iss'] },
      { method: 'POST', path: '/sso/token', params: ['grant_type', 'code', 'client_id', 'client_secret', 'code_verifier'] },
      { method: 'GET', path: '/sso/profile', params: [] },
      { method: 'GET', path: '/organizations', params: ['limit', 'before', 'after', 'order', 'domains'] },
      { method: 'POST', path: '/organizations', params: ['name', 'domains', 'external_id', 'domain_data', 'allow_profiles_outside_organization'] },
      { method: 'GET', path: '/organizations/:id', params: [] },
      { method: 'PUT', path: '/organizations/:id', params: ['name', 'domains', 'external_id'] },
      { method: 'DELETE', path: '/organizations/:id', params: [] },
      { method: 'GET', path: '/organizations/external_id/:externalId', params: [] },
      { method: 'GET', path: '/connections', params: ['organization_id', 'connection_type', 'limit', 'before', 'after', 'order'] },
      { method: 'POST', path: '/connections', params: ['organization_id', 'connection_type', 'name', 'client_id', 'client_secret', 'discovery_endpoint', 'district_id'] },
      { method: 'GET', path: '/connections/:id', params: [] },
      { method: 'PUT', path: '/connections/:id', params: ['name', 'client_id', 'client_secret', 'discovery_endpoint', 'district_id'] },
      { method: 'DELETE', path: '/connections/:id', params: [] },
      { method: 'GET', path: '/test-sso', params: [] },
      { method: 'POST', path: '/test-sso/start', params: ['connection'] },
      { method: 'GET', path: '/test-sso/result', params: ['code', 'state'] },
      { method: 'GET', path: '/nothing-here/:id', params: ['x'] },
    ];
    // Deletes last, so the valid IDs serve the other requests first.
    const requests = endpoints
      .flatMap((endpoint, i) => [...variants(endpoint, valid, 1000 + i), ...(endpoint.method === 'POST' || endpoint.method === 'PUT' ? hostileBodies(endpoint, valid, i) : [])])
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    const { sent, problems } = await fuzz(hallpass.url, requests);
    process.stdout.write(`# broker: ${sent} requests, ${problems.length} problems\n`);
    assert.deepEqual(problems, []);
  });

  it('finds no 5xx and no stack trace on the Clever sandbox', async () => {
    const valid: Record<string, string> = {
      client_id: HALLPASS_APP.clientId,
      redirect_uri: `${hallpass.url}/sso/clever/callback`,
      response_type: 'code',
      district_id: SANDBOX_DISTRICT,
      grant_type: 'authorization_code',
      authorization: `Basic ${Buffer.from(`${HALLPASS_APP.clientId}:${HALLPASS_APP.clientSecret}`).toString('base64')}`,
      ':id': SANDBOX_DISTRICT,
      ':slug': 'sandbox',
      username: 'nandu.perez',
      password: 'hallpass',
    };
    const endpoints: Endpoint[] = [
      { method: 'GET', path: '/', params: [] },
      { method: 'GET', path: '/.well-known/openid-configuration', params: [] },
      { method: 'GET', path: '/oauth/certs', params: [] },
      { method: 'GET', path: '/oauth/authorize', params: ['client_id', 'redirect_uri', 'response_type', 'state', 'nonce', 'district_id', 'scope', 'code_challenge', 'code_challenge_method', 'login_hint', 'confirmed'] },
      { method: 'GET', path: '/oauth/instant-login', params: ['client_id', 'district_id', 'redirect_uri'] },
      { method: 'GET', path: '/oauth/school-picker', params: ['login', 'q'] },
      { method: 'GET', path: '/oauth/district-login', params: ['login', 'district'] },
      { method: 'GET', path: '/oauth/idp-login', params: ['login'] },
      { method: 'POST', path: '/oauth/login', params: ['login', 'username', 'password'] },
      { method: 'GET', path: '/oauth/select-role', params: ['login'] },
      { method: 'POST', path: '/oauth/select-role', params: ['login', 'role'] },
      { method: 'POST', path: '/oauth/tokens', params: ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'client_id', 'client_secret'] },
      { method: 'GET', path: '/userinfo', params: [] },
      { method: 'POST', path: '/userinfo', params: ['access_token'] },
      { method: 'GET', path: '/v3.0/me', params: [] },
      { method: 'GET', path: '/v3.0/users/:id', params: [] },
      { method: 'GET', path: '/v3.0/districts/:id', params: [] },
      { method: 'GET', path: '/in/:slug', params: [] },
      { method: 'POST', path: '/in/:slug/launch', params: ['client_id', 'username', 'password'] },
      { method: 'GET', path: '/logout', params: [] },
    ];
    const requests = endpoints.flatMap((endpoint, i) => [...variants(endpoint, valid, 5000 + i), ...(endpoint.method === 'POST' ? hostileBodies(endpoint, valid, i) : [])]);
    const { sent, problems } = await fuzz(sandbox.url, requests);
    process.stdout.write(`# sandbox: ${sent} requests, ${problems.length} problems\n`);
    assert.deepEqual(problems, []);
  });
});
