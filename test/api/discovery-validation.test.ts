/**
 * validateDiscoveryEndpoint against real HTTP servers answering well and badly.
 * (Through the API, the same reasons end up in a connection's validation_error;
 * see connection-states.test.ts.)
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it, test } from 'node:test';
import { validateDiscoveryEndpoint } from '../../src/connections/validate-discovery.ts';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { startDiscoveryServer, type DiscoveryServer } from './discovery-server.ts';

describe('validateDiscoveryEndpoint', () => {
  let server: DiscoveryServer;
  let clever: RunningCleverSandbox;
  before(async () => {
    server = await startDiscoveryServer();
    clever = await startCleverSandbox({ port: 0, logger: false });
  });
  after(async () => {
    await server.close();
    await clever.close();
  });
  const options = { timeoutMs: 2000, requireHttps: false };

  it('accepts the Clever sandbox and returns its issuer', async () => {
    assert.deepEqual(await validateDiscoveryEndpoint(`${clever.url}/.well-known/openid-configuration`, options), { ok: true, issuer: clever.url });
  });

  it('accepts a complete document whose issuer matches, with or without a trailing slash', async () => {
    assert.deepEqual(await validateDiscoveryEndpoint(server.endpoint('good'), options), { ok: true, issuer: `${server.url}/good` });
    assert.deepEqual(await validateDiscoveryEndpoint(server.endpoint('trailing-slash-issuer'), options), {
      ok: true,
      issuer: `${server.url}/trailing-slash-issuer/`,
    });
  });

  const failures: [string, () => string, RegExp][] = [
    ['a 404', () => server.endpoint('not-found'), /^discovery endpoint answered 404$/],
    ['an HTML page', () => server.endpoint('html'), /did not answer with JSON \(content-type: text\/html\)/],
    ['a JSON array', () => server.endpoint('array'), /not an object of OpenID metadata/],
    ['a document without jwks_uri', () => server.endpoint('incomplete'), /lacks jwks_uri/],
    ['another issuer', () => server.endpoint('wrong-issuer'), /^issuer https:\/\/idp\.other\.example does not match/],
    ['a redirect', () => server.endpoint('redirect'), /answered 302 .*redirect to http:\/\/127\.0\.0\.1:\d+\/good/],
    ['a non-HTTP URL', () => 'ftp://idp.example/.well-known/openid-configuration', /must be an http\(s\) URL/],
    ['text that is no URL', () => 'not a url', /is not a URL/],
  ];
  for (const [what, endpoint, reason] of failures) {
    it(`refuses ${what}, saying why`, async () => {
      const result = await validateDiscoveryEndpoint(endpoint(), options);
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, reason);
    });
  }

  it('gives up on a server that never answers after the timeout', async () => {
    const started = Date.now();
    const result = await validateDiscoveryEndpoint(server.endpoint('silent'), { timeoutMs: 200, requireHttps: false });
    assert.deepEqual(result, { ok: false, reason: 'timed out after 200 ms' });
    assert.ok(Date.now() - started < 2000);
  });

  it('reports an unreachable host', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const result = await validateDiscoveryEndpoint(`http://127.0.0.1:${port}/.well-known/openid-configuration`, options);
    assert.equal(result.ok, false);
    assert.match((result as { reason: string }).reason, /^could not reach discovery endpoint: .*ECONNREFUSED/);
  });
});

test('a discovery answer larger than the limit and without a Content-Length is cut off', async () => {
  const server = await startDiscoveryServer();
  try {
    const result = await validateDiscoveryEndpoint(server.endpoint('endless'), { timeoutMs: 5000, requireHttps: false });
    assert.deepEqual(result, { ok: false, reason: 'discovery document is larger than 524288 bytes' });
  } finally {
    await server.close();
  }
});

test('in production a plain-http discovery endpoint is refused before any request is made', async () => {
  const result = await validateDiscoveryEndpoint('http://127.0.0.1:9/.well-known/openid-configuration', { timeoutMs: 200, requireHttps: true });
  assert.deepEqual(result, { ok: false, reason: 'discovery endpoint must use https in production' });
});
