/**
 * What every answer of the broker carries, whatever the route: security
 * headers (strict CSP on pages, nosniff everywhere, HSTS behind https), 405
 * with `Allow` for a known path asked with the wrong method (in that area's
 * error format), the probes (/health, /ready), metrics on their own
 * listener, and request IDs and login references on every log line.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log.ts';
import { countRateLimited, enableMetrics, listenMetrics } from '../../src/metrics.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/security-headers.ts';
import { build } from '../../src/server.ts';
import { startCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { createOrgWithConnection, signInAtClever, workosFor } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT } from '../support/clever-seed.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent } from '../support/user-agent.ts';

const APP = 'http://127.0.0.1:9/app';
const atApp = (url: URL) => url.href.startsWith(APP);

describe('security headers, 405, probes, metrics and log lines', () => {
  let hallpass: RunningHallpass;
  const logLines: Array<Record<string, unknown>> = [];
  let metrics: { url: string; close(): Promise<void> };

  before(async () => {
    enableMetrics();
    metrics = await listenMetrics({ port: 0, host: '127.0.0.1' });
    hallpass = await startHallpass({ redirectUris: [APP] });
  });
  after(async () => {
    await hallpass?.close();
    await metrics?.close();
  });

  const get = (path: string, init?: RequestInit) => fetch(`${hallpass.url}${path}`, { redirect: 'manual', ...init });

  it('gives every page a strict CSP, frame denial, nosniff, same-origin referrers and no-store, and styles from a served stylesheet', async () => {
    const page = await get('/sso/authorize');
    assert.equal(page.status, 400);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.match(CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('referrer-policy'), 'same-origin');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('strict-transport-security'), null, 'no HSTS over plain http');
    const html = await page.text();
    assert.doesNotMatch(html, /<style|<script(?![^>]*\bsrc=)| style=/i, 'nothing inline for the CSP to block');
    const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1];
    assert.ok(stylesheet, 'the page links the one stylesheet the dashboard uses too');

    const css = await get(stylesheet);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal(css.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await css.text(), /\.flash-error/);
  });

  it('sends nosniff and the referrer policy with every answer: JSON, OAuth errors, redirects', async () => {
    const answers = [
      await get('/organizations'),
      await get('/sso/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=x' }),
      await get(`/sso/authorize?client_id=${hallpass.clientId}&redirect_uri=${encodeURIComponent(APP)}&response_type=code&organization=org_nope`),
      await get('/health'),
    ];
    assert.deepEqual(answers.map((a) => a.status), [401, 400, 302, 200]);
    for (const answer of answers) {
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', answer.url);
      assert.equal(answer.headers.get('referrer-policy'), 'same-origin', answer.url);
      assert.equal(answer.headers.get('content-security-policy'), null, `${answer.url}: not a page`);
    }
  });

  it('adds HSTS when the public URL is https', async () => {
    const app = await build({ ...hallpass.ctx, config: { ...hallpass.ctx.config, publicUrl: 'https://sso.example.edu' } });
    try {
      const answer = await app.inject({ url: '/health' });
      assert.equal(answer.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    } finally {
      await app.close();
    }
  });

  it('answers a wrong method on a known path 405 with Allow, in that area\'s format; an unknown path stays 404', async () => {
    const token = await get('/sso/token');
    assert.equal(token.status, 405);
    assert.equal(token.headers.get('allow'), 'POST');
    assert.equal(((await token.json()) as { error: string }).error, 'method_not_allowed');

    const orgs = await get('/organizations', { method: 'DELETE' });
    assert.equal(orgs.status, 405);
    assert.equal(orgs.headers.get('allow'), 'GET, HEAD, POST');
    assert.equal(((await orgs.json()) as { code: string }).code, 'method_not_allowed');

    const connection = await get('/connections/conn_01ABC', { method: 'PATCH' });
    assert.equal(connection.status, 405);
    assert.equal(connection.headers.get('allow'), 'DELETE, GET, HEAD, PUT');

    const authorize = await get('/sso/authorize', { method: 'POST' });
    assert.equal(authorize.status, 405);
    assert.equal(authorize.headers.get('allow'), 'GET, HEAD');
    assert.match(authorize.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await authorize.text(), /method_not_allowed/);

    const unknown = await get('/nothing/here', { method: 'DELETE' });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { code: string }).code, 'entity_not_found');
  });

  it('answers /health and /ready; /ready checks the database and its schema', async () => {
    const health = await get('/health');
    assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
    const ready = await get('/ready');
    assert.deepEqual([ready.status, await ready.json()], [200, { status: 'ready' }]);

    // An instance shutting down is not ready, so balancers take it out, but still serves.
    const { markShuttingDown } = await import('../../src/server.ts');
    const leaving = await build(hallpass.ctx);
    try {
      markShuttingDown(leaving);
      const answer = await leaving.inject({ url: '/ready' });
      assert.equal(answer.statusCode, 503);
      assert.equal(answer.json().code, 'database_unavailable');
      assert.equal((await leaving.inject({ url: '/health' })).statusCode, 200);
    } finally {
      await leaving.close();
    }

    // A store whose database is gone: not ready, in the API's format, and still alive.
    const { openStore } = await import('../../src/store/index.ts');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = await mkdtemp(join(tmpdir(), 'hallpass-test-'));
    const store = await openStore({ dataDir });
    const app = await build({ ...hallpass.ctx, store });
    try {
      await store.close();
      const notReady = await app.inject({ url: '/ready' });
      assert.equal(notReady.statusCode, 503);
      assert.equal(notReady.json().code, 'database_unavailable');
      assert.equal((await app.inject({ url: '/health' })).statusCode, 200);
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('serves Prometheus metrics on their own listener only: sign-ins, step latency, rate limits', async () => {
    // A sign-in refused at its start, and one request refused by a rate limit.
    await get(`/sso/authorize?client_id=${hallpass.clientId}&redirect_uri=${encodeURIComponent(APP)}&response_type=code&organization=org_nope`);
    countRateLimited('/sso/token');

    const answer = await fetch(`${metrics.url}/metrics`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await answer.text();
    assert.match(text, /hallpass_sign_ins_total\{outcome="failed",connection_type="unknown",step="authorize"\} [1-9]/);
    assert.match(text, /hallpass_login_step_duration_seconds_count\{step="authorize",status="302"\} [1-9]/);
    assert.match(text, /hallpass_rate_limited_requests_total\{route="\/sso\/token"\} 1/);
    assert.match(text, /# TYPE hallpass_upstream_request_duration_seconds histogram/);
    assert.match(text, /# TYPE hallpass_database_errors_total counter/);
    assert.match(text, /hallpass_process_cpu_seconds_total/);

    // A whole login through the Clever sandbox: a success, and the calls it made to the IdP.
    const sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
    try {
      const { organizationId } = await createOrgWithConnection(hallpass, { name: 'Metrics District' }, {
        connection_type: 'CleverOIDC',
        client_id: HALLPASS_APP.clientId,
        client_secret: HALLPASS_APP.clientSecret,
        discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
        district_id: SANDBOX_DISTRICT,
      });
      const ua = new UserAgent();
      const url = workosFor(hallpass).sso.getAuthorizationUrl({ organization: organizationId, clientId: hallpass.clientId, redirectUri: APP, state: 'metrics' });
      const atTheApp = await signInAtClever(ua, await ua.get(url, { stopAt: atApp }), 'nandu.perez', { stopAt: atApp });
      const code = new URL(atTheApp.url).searchParams.get('code');
      assert.ok(atTheApp.stopped && code, atTheApp.url);
      await workosFor(hallpass).sso.getProfileAndToken({ code, clientId: hallpass.clientId });
    } finally {
      await sandbox.close();
    }
    const after = await (await fetch(`${metrics.url}/metrics`)).text();
    assert.match(after, /hallpass_sign_ins_total\{outcome="succeeded",connection_type="CleverOIDC",step="code_redeemed"\} 1/);
    assert.match(after, /hallpass_upstream_request_duration_seconds_count\{call="discovery",outcome="ok"\} [1-9]/);
    assert.match(after, /hallpass_upstream_request_duration_seconds_count\{call="token",outcome="ok"\} 1/);
    assert.match(after, /hallpass_login_step_duration_seconds_count\{step="callback",status="302"\} 1/);
    assert.match(after, /hallpass_login_step_duration_seconds_count\{step="token",status="200"\} 1/);

    const onPublicPort = await get('/metrics');
    assert.equal(onPublicPort.status, 404, 'metrics are not served on the public port');
  });

  it('puts the request ID on every log line of a request, and the login attempt ID on a sign-in\'s', async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger('info', 'hallpass', sink);
    const ctx = { ...hallpass.ctx, logger };
    const app = await build(ctx);
    app.get('/log-probe', async () => {
      ctx.logger.info('through the process logger');
      return { ok: true };
    });
    try {
      await app.inject({ url: '/log-probe' });
      const probe = logLines.filter((line) => line.msg === 'through the process logger');
      assert.equal(probe.length, 1);
      const reqId = probe[0]!.reqId;
      assert.ok(reqId, 'the process logger\'s line carries the request ID');
      assert.ok(logLines.filter((line) => line.reqId === reqId).length >= 3, 'and so do Fastify\'s own lines');

      logLines.length = 0;
      // A connection that exists but whose IdP cannot be reached: the attempt is recorded (one without a
      // connection would only be counted), and its log lines carry the reference the admin searches for.
      const org = await hallpass.store.organizations.create({ id: 'org_logged', name: 'Logged', externalId: null, allowProfilesOutsideOrganization: false, domains: [], metadata: {} });
      await hallpass.store.connections.create({
        id: 'conn_logged', organizationId: org.id, connectionType: 'GenericOIDC', name: 'Down', state: 'active', clientId: 'c', clientSecretEncrypted: hallpass.ctx.secrets.seal('s'),
        discoveryEndpoint: 'http://127.0.0.1:9/.well-known/openid-configuration', districtId: null, roleMappings: [], validationError: null,
      });
      const start = await app.inject({ url: `/sso/authorize?client_id=${hallpass.clientId}&redirect_uri=${encodeURIComponent(APP)}&response_type=code&connection=conn_logged` });
      assert.equal(start.statusCode, 302);
      const tagged = logLines.filter((line) => typeof line.loginAttemptId === 'string');
      assert.ok(tagged.length > 0, JSON.stringify(logLines));
      const attempt = await hallpass.store.loginAttempts.find(String(tagged[0]!.loginAttemptId));
      assert.ok(attempt, 'the logged reference is the recorded login attempt');
      assert.equal(attempt.connectionId, 'conn_logged');
    } finally {
      await app.close();
    }
  });
});
