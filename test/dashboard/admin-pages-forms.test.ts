/**
 * The Settings, Sign-in sessions, Clever and Audit log pages without
 * JavaScript (plain form posts, as the browser-less user agent sends them),
 * and their answers to bad input: clear pages with the right status, never a
 * 500; refused forms keep what was typed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { APP_CALLBACK, createOrgWithConnection, signInAtClever, stopAtApp } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT, UNSERVED_DISTRICT } from '../support/clever-seed.ts';
import { createTestAdmin, signIn, type TestAdmin } from '../support/dashboard.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent, type Page } from '../support/user-agent.ts';

describe('dashboard Settings, Sign-in sessions, Clever and Audit log without JavaScript', () => {
  let hallpass: RunningHallpass;
  let sandbox: RunningCleverSandbox;
  let admin: TestAdmin;
  const ua = new UserAgent();
  const open = (path: string) => ua.get(`${hallpass.url}/dashboard${path}`);

  before(async () => {
    hallpass = await startHallpass({ redirectUris: [APP_CALLBACK] });
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
    await createOrgWithConnection(hallpass, { name: 'Sandbox District' }, {
      connection_type: 'CleverOIDC',
      client_id: HALLPASS_APP.clientId,
      client_secret: HALLPASS_APP.clientSecret,
      discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
      district_id: SANDBOX_DISTRICT,
    });
    admin = await createTestAdmin(hallpass);
    await signIn(ua, hallpass, admin);
  });
  after(async () => {
    await sandbox?.close();
    await hallpass?.close();
  });

  it('sends each page to sign-in without a session, and an API key opens none', async () => {
    for (const path of ['/settings', '/sign-in-sessions', '/sign-in-sessions/login_x', '/clever', '/audit-log']) {
      for (const headers of [{}, { authorization: `Bearer ${hallpass.apiKey}` }] as Record<string, string>[]) {
        const response = await fetch(`${hallpass.url}/dashboard${path}`, { redirect: 'manual', headers });
        assert.equal(response.status, 303, path);
        assert.equal(new URL(response.headers.get('location')!, hallpass.url).pathname, '/dashboard/sign-in');
      }
    }
  });

  it('creates and revokes an API key, and adds, defaults and removes a redirect URI with plain forms', async () => {
    const created = await ua.submit(await open('/settings'), { form: 'create-api-key', fields: { name: 'No-JS key' } });
    assert.equal(created.status, 201);
    const key = /id="api-key-value">(sk_[^<]+)</.exec(created.body)?.[1];
    assert.ok(key, 'the key is shown once');
    const keyId = (await hallpass.store.apiKeys.list()).find((k) => k.name === 'No-JS key')!.id;
    const revoked = await ua.submit(created, { form: `/dashboard/settings/api-keys/${keyId}/revoke` });
    assert.equal(revoked.status, 200);
    assert.match(revoked.body, /The API key was revoked/);
    assert.equal((await fetch(`${hallpass.url}/organizations`, { headers: { authorization: `Bearer ${key}` } })).status, 401);

    const uri = 'https://app.example/no-js?x=<b>';
    const added = await ua.submit(revoked, { form: 'add-redirect-uri', fields: { uri } });
    assert.match(added.body, /The redirect URI was added/);
    assert.ok(added.body.includes('https://app.example/no-js?x=&lt;b>') && !added.body.includes('x=<b>'), 'the URI is escaped on the page');
    const defaulted = await ua.submit(added, { form: '/dashboard/settings/redirect-uris/default', fields: { uri } });
    assert.equal((await hallpass.store.settings.get()).defaultRedirectUri, uri);
    const removed = await ua.submit(defaulted, { form: '/dashboard/settings/redirect-uris/remove', fields: { uri } });
    assert.match(removed.body, /The redirect URI was removed/);
    assert.equal((await hallpass.store.redirectUris.list()).some((r) => r.uri === uri), false);
    assert.match(removed.body, /No default redirect URI/, 'the page warns that Clever launches now fail');
    const restored = await ua.submit(removed, { form: '/dashboard/settings/redirect-uris/default', fields: { uri: APP_CALLBACK } });
    assert.doesNotMatch(restored.body, /No default redirect URI/);
  });

  it('refuses bad input with a clear status, keeping what was typed', async () => {
    const settings = await open('/settings');
    // A notice name is looked up among the page's own, never among an object's inherited properties.
    assert.doesNotMatch((await open('/settings?notice=constructor')).body, /class="flash/);
    const badUri = await ua.submit(settings, { form: 'add-redirect-uri', fields: { uri: 'ftp://files.example/x', default: 'true' } });
    assert.equal(badUri.status, 422);
    assert.match(badUri.body, /must use http or https/);
    assert.match(badUri.body, /value="ftp:\/\/files\.example\/x"/);
    assert.match(badUri.body, /id="redirect-uri-default"[^>]*checked/);
    const taken = await ua.submit(settings, { form: 'add-redirect-uri', fields: { uri: APP_CALLBACK } });
    assert.equal(taken.status, 409);
    const badRole = await ua.submit(settings, { form: 'save-default-role', fields: { role: 'Teachers!' } });
    assert.equal(badRole.status, 422);
    assert.match(badRole.body, /value="Teachers!"/);
    const longName = await ua.submit(settings, { form: 'create-api-key', fields: { name: 'x'.repeat(101) } });
    assert.equal(longName.status, 422);
    const longVendor = await ua.submit(settings, { form: 'save-vendor-name', fields: { name: 'v'.repeat(101) } });
    assert.equal(longVendor.status, 422);
    assert.match(longVendor.body, /At most 100 characters/);
    const vendor = await ua.submit(settings, { form: 'save-vendor-name', fields: { name: 'Reading Corner Inc.' } });
    assert.match(vendor.body, /The vendor name was saved/);
    assert.match(vendor.body, /id="vendor-name"[^>]*value="Reading Corner Inc\."|value="Reading Corner Inc\."[^>]*id="vendor-name"/);

    const gone = await ua.submit(settings, { form: '/dashboard/settings/redirect-uris/remove', fields: { uri: 'https://never.example/' } });
    assert.equal(gone.status, 404);
    assert.equal((await open('/sign-in-sessions/login_nope')).status, 404);
    const badDay = await open('/sign-in-sessions?from=yesterday');
    assert.equal(badDay.status, 400);
    assert.match(badDay.body, /must be a day like/);
    assert.equal((await open('/sign-in-sessions?outcome=maybe')).status, 400);
    assert.equal((await open('/audit-log?actor=robot')).status, 400);
    assert.equal((await open(`/audit-log?target=${'x'.repeat(3000)}`)).status, 400);
    assert.equal((await open('/audit-log?after=audit_x&from=2026-01-01&to=2026-12-31')).status, 200);
  });

  it('creates an organization for an unserved district from the Clever page', async () => {
    const signInUa = new UserAgent();
    const start = await signInUa.get(`${sandbox.url}/oauth/instant-login?client_id=${HALLPASS_APP.clientId}&district_id=${UNSERVED_DISTRICT}`, { stopAt: stopAtApp });
    const refused: Page = await signInAtClever(signInUa, start, 'uma');
    assert.equal(refused.status, 400);
    const reference = /Reference: <code>(login_[0-9A-Z]{26})<\/code>/.exec(refused.body)![1]!;
    // One search with the reference opens the session.
    const found = await ua.submit(await open('/sign-in-sessions'), { form: '/dashboard/sign-in-sessions', fields: { search: reference } });
    assert.equal(new URL(found.url).pathname, `/dashboard/sign-in-sessions/${reference}`);
    assert.match(found.body, /organization_invalid/);

    const clever = await open('/clever');
    assert.match(clever.body, new RegExp(`District <code>${UNSERVED_DISTRICT}</code>`));
    const nameless = await ua.submit(clever, { form: `create-district-${UNSERVED_DISTRICT}`, fields: { name: ' ' } });
    assert.equal(nameless.status, 422);
    const made = await ua.submit(clever, { form: `create-district-${UNSERVED_DISTRICT}`, fields: { name: 'Unserved Unified' } });
    assert.equal(made.status, 200, made.body.slice(0, 300));
    assert.match(made.body, new RegExp(`District ${UNSERVED_DISTRICT} is now served`));
    const org = (await hallpass.store.organizations.list({ limit: 10, order: 'desc' })).data.find((o) => o.name === 'Unserved Unified');
    assert.ok(org);
    const [conn] = (await hallpass.store.connections.list({ limit: 10, order: 'desc', organizationId: org.id })).data;
    assert.deepEqual([conn?.state, conn?.districtId, conn?.clientId], ['active', UNSERVED_DISTRICT, HALLPASS_APP.clientId]);

    const log = (await hallpass.store.auditLog.list({ limit: 10, order: 'desc', actorId: admin.id })).data.map((e) => e.action);
    assert.deepEqual(log.slice(0, 2), ['connection.created', 'organization.created']);

    // The same form sent again (a second tab): the district is taken, and no empty organization is left behind.
    const again = await ua.submit(clever, { form: `create-district-${UNSERVED_DISTRICT}`, fields: { name: 'Unserved Twice' } });
    assert.equal(again.status, 409);
    assert.match(again.body, /already served/);
    const twins = (await hallpass.store.organizations.list({ limit: 50, order: 'desc' })).data.filter((o) => o.name === 'Unserved Twice');
    assert.equal(twins.length, 0);
  });
});
