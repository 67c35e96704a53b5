/**
 * Setup links end to end over HTTP: made with the unmodified WorkOS SDK (8.x
 * and the current one), opened with no account, an OpenID Connect connection
 * set up against a real oidc-provider and turned on only by a successful test
 * sign-in, then used by an app through the SDK; and every refusal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkOS as WorkOSLatest } from '@workos-inc/node-latest';
import { api, APP_CALLBACK, appResult, signInAtOidcProvider, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { startOidcProvider, type RunningOidcProvider } from '../support/oidc-provider.ts';
import { decodeHtml, UserAgent, type Page } from '../support/user-agent.ts';
import { hashSecret } from '../../src/secrets.ts';

let hallpass: RunningHallpass;
let op: RunningOidcProvider;
let clock = Date.now();

before(async () => {
  hallpass = await startHallpass({ redirectUris: [APP_CALLBACK], now: () => clock });
  op = await startOidcProvider({ accounts: [{ id: 'it-admin', login: 'ivy', password: 'pw-ivy', email: 'ivy@acme.example', given_name: 'Ivy', family_name: 'Admin' }] });
});
after(async () => {
  await op?.close();
  await hallpass?.close();
});

async function newOrg(name: string): Promise<string> {
  const created = await api(hallpass, 'POST', '/organizations', { name });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

async function sdkLink(organization: string, options: { returnUrl?: string; successUrl?: string } = {}): Promise<string> {
  const { link } = await workosFor(hallpass).portal.generateLink({ organization, intent: 'sso' as any, ...options });
  return link;
}

const text = (page: Page) => decodeHtml(page.body.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
const tokenOf = (link: string) => new URL(link).pathname.split('/')[2]!;

describe('creating a link through the API', () => {
  it('works with the WorkOS SDK 8.x (portal.generateLink): stored hashed, 5 minutes until opened, audited without the token', async () => {
    const org = await newOrg('Acme SDK8');
    const link = await sdkLink(org, { returnUrl: 'https://vendor.example/back', successUrl: 'https://vendor.example/done' });
    assert.match(link, new RegExp(`^${hallpass.url}/setup/[A-Za-z0-9_-]{43}$`));
    const stored = await hallpass.store.setupLinks.findByTokenHash(hashSecret(tokenOf(link)));
    assert.ok(stored);
    assert.equal(stored.organizationId, org);
    assert.equal(stored.madeThrough, 'api');
    assert.equal(stored.successUrl, 'https://vendor.example/done');
    assert.equal(stored.expiresAt.getTime() - stored.createdAt.getTime(), 5 * 60_000);
    const { data } = await hallpass.store.auditLog.list({ limit: 10, order: 'desc', targetType: 'setup_link' } as any);
    const entry = data.find((e) => e.targetId === stored.id);
    assert.equal(entry?.actor.type, 'api_key');
    assert.ok(!JSON.stringify(entry).includes(tokenOf(link)), 'the token is not in the audit log');
  });

  it('works with the current WorkOS SDK (adminPortal.generateLink)', async () => {
    const org = await newOrg('Acme SDK latest');
    const url = new URL(hallpass.url);
    const workos = new WorkOSLatest(hallpass.apiKey, { apiHostname: url.hostname, port: Number(url.port), https: false, clientId: hallpass.clientId });
    const { link } = await workos.adminPortal.generateLink({ organization: org, intent: 'sso' as any });
    const page = await new UserAgent().get(link);
    assert.equal(page.status, 200);
    assert.match(text(page), /Set up single sign-on for Acme SDK latest/);
  });

  it('shows the vendor name from the application settings (PUT /settings vendor_name) on every page', async () => {
    const set = await api(hallpass, 'PUT', '/settings', { vendor_name: '  Reading Corner Inc.  ' });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.vendor_name, 'Reading Corner Inc.');
    assert.equal((await api(hallpass, 'GET', '/settings')).body.vendor_name, 'Reading Corner Inc.');
    try {
      const page = await new UserAgent().get(await sdkLink(await newOrg('Acme Vendor')));
      assert.match(text(page), /Reading Corner Inc\. · Single sign-on setup · Acme Vendor/);
      assert.equal((await api(hallpass, 'PUT', '/settings', { vendor_name: 'x'.repeat(101) })).status, 422);
    } finally {
      assert.equal((await api(hallpass, 'PUT', '/settings', { vendor_name: null })).body.vendor_name, null);
    }
  });

  it('refuses an unknown organization (404) and another intent (422), in the API format', async () => {
    const unknown = await api(hallpass, 'POST', '/portal/generate_link', { organization: 'org_nope', intent: 'sso' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'entity_not_found');
    const org = await newOrg('Acme bad intent');
    const intent = await api(hallpass, 'POST', '/portal/generate_link', { organization: org, intent: 'dsync' });
    assert.equal(intent.status, 422);
    assert.equal(intent.body.code, 'invalid_request_parameters');
    const noKey = await fetch(`${hallpass.url}/portal/generate_link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ organization: org, intent: 'sso' }) });
    assert.equal(noKey.status, 401);
  });
});

describe('an OpenID Connect setup', () => {
  it('saves through the shared rule, stays inactive after a failed test (reason shown), goes live after a successful one, and an app then signs in', async () => {
    const org = await newOrg('Acme OIDC');
    const link = await sdkLink(org, { successUrl: 'https://vendor.example/done' });
    const ua = new UserAgent();
    let page = await ua.get(link);
    // The token never reaches another site as a Referer.
    assert.equal(page.headers.get('referrer-policy'), 'same-origin');
    page = await ua.click(page, 'OpenID Connect');
    assert.equal(page.status, 200);
    page = await ua.submit(page, { form: '/start' });
    const [conn] = (await hallpass.store.connections.list({ organizationId: org, limit: 5, order: 'asc' })).data;
    assert.ok(conn);
    assert.equal(conn.state, 'inactive');
    const redirectUri = /id="redirect-uri">([^<]+)</.exec(page.body)?.[1];
    assert.equal(redirectUri, `${hallpass.url}/sso/oidc/callback/${conn.id}`);
    op.addClient({ client_id: 'acme-client', client_secret: 'right-secret', redirect_uris: [redirectUri!] });

    // A discovery endpoint that is not one: refused at save, nothing stored.
    page = await ua.submit(page, { form: '/settings', fields: { discovery_endpoint: `${hallpass.url}/nope/.well-known/openid-configuration`, client_id: 'acme-client', client_secret: 'wrong-secret' } });
    assert.equal(page.status, 422);
    assert.match(text(page), /could not use this identity provider/);
    assert.equal((await hallpass.store.connections.find(conn.id))?.clientId, null);

    page = await ua.submit(page, { form: '/settings', fields: { discovery_endpoint: op.discoveryEndpoint, client_id: 'acme-client', client_secret: 'wrong-secret' } });
    assert.equal(page.status, 200);
    assert.match(text(page), /Saved and checked/);
    assert.equal((await hallpass.store.connections.find(conn.id))?.state, 'inactive');

    // The wrong secret: the test fails at the token exchange and the connection stays off.
    page = await ua.submit(page, { form: '/test', stopAt: (u) => u.pathname.startsWith('/interaction') ? false : false });
    page = await signInAtOidcProvider(ua, page, 'ivy', 'pw-ivy', () => false);
    assert.match(page.url, /\/setup\/test-result/);
    assert.match(text(page), /Test sign-in failed at: Token exchange/);
    assert.match(text(page), /rejected Hallpass's credentials.*HTTP 401/);
    assert.equal((await hallpass.store.connections.find(conn.id))?.state, 'inactive');

    page = await ua.get(`${hallpass.url}/setup/${tokenOf(link)}/oidc`);
    page = await ua.submit(page, { form: '/settings', fields: { client_secret: 'right-secret' } });
    page = await ua.submit(page, { form: '/test' });
    page = await signInAtOidcProvider(ua, page, 'ivy', 'pw-ivy', () => false);
    assert.match(text(page), /Test sign-in succeeded/);
    assert.match(text(page), /ivy@acme\.example/);
    assert.equal((await hallpass.store.connections.find(conn.id))?.state, 'active');

    // Done goes to the success URL.
    const done = await ua.click(page, 'Done', { stopAt: (u) => u.hostname === 'vendor.example' });
    assert.equal(done.url, 'https://vendor.example/done');

    // Every change was made "through the link", and the tests are Sign-in sessions started by "setup".
    const audit = (await hallpass.store.auditLog.list({ limit: 50, order: 'desc', targetId: conn.id } as any)).data;
    assert.deepEqual(new Set(audit.map((e) => e.action)), new Set(['connection.created', 'connection.updated', 'connection.activated']));
    assert.ok(audit.every((e) => e.actor.type === 'setup_link' && e.actor.name === 'setup link for Acme OIDC'));
    assert.ok(!JSON.stringify(audit).includes('right-secret'));
    const attempts = (await hallpass.store.loginAttempts.list({ limit: 10, order: 'desc', connectionId: conn.id } as any)).data;
    assert.deepEqual(attempts.map((a) => [a.initiatedBy, a.outcome]), [['setup', 'succeeded'], ['setup', 'failed']]);

    // An app signs a user in through the new connection with the SDK.
    const workos = workosFor(hallpass);
    const user = new UserAgent();
    const url = workos.sso.getAuthorizationUrl({ organization: org, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 's' });
    const result = appResult(await signInAtOidcProvider(user, await user.get(url, { stopAt: stopAtApp }), 'ivy', 'pw-ivy'));
    assert.ok(result.code, `${result.error}: ${result.errorDescription}`);
    const { profile } = await workos.sso.getProfileAndToken({ code: result.code, clientId: hallpass.clientId });
    assert.equal(profile.email, 'ivy@acme.example');
    assert.equal(profile.organizationId, org);
  });

  it('prefills what the provider\'s pattern allows (Google: the discovery endpoint; Entra: from the tenant)', async () => {
    const org = await newOrg('Acme Entra');
    const ua = new UserAgent();
    let page = await ua.get(await sdkLink(org));
    page = await ua.click(page, 'Google Workspace');
    page = await ua.submit(page, { form: '/start' });
    assert.match(text(page), /accounts\.google\.com\/\.well-known\/openid-configuration \(filled in for you\)/);
    page = await ua.click(page, 'Choose another');
    page = await ua.click(page, 'Microsoft Entra ID');
    assert.match(page.body, /Directory \(tenant\) ID/);
  });
});

describe('refusals', () => {
  it('a link for organization A can neither read nor change organization B', async () => {
    const a = await newOrg('Tenant A');
    const b = await newOrg('Tenant B');
    const bConn = await api(hallpass, 'POST', '/connections', { organization_id: b, connection_type: 'GenericOIDC', name: 'B', client_id: 'b-client', client_secret: 'b-secret', discovery_endpoint: op.discoveryEndpoint });
    assert.equal(bConn.body.state, 'active');
    const ua = new UserAgent();
    let page = await ua.get(await sdkLink(a));
    assert.ok(!text(page).includes('Tenant B'));
    page = await ua.click(page, 'OpenID Connect');
    page = await ua.submit(page, { form: '/start' });
    const changed = await ua.submit(page, { form: '/settings', fields: { connection_id: bConn.body.id, discovery_endpoint: op.discoveryEndpoint, client_id: 'stolen', client_secret: 'x' } });
    assert.equal(changed.status, 404);
    assert.match(text(changed), /not part of the organization this setup link is for/);
    const tested = await ua.submit(page, { form: '/test', fields: { connection_id: bConn.body.id } });
    assert.equal(tested.status, 404);
    const after = await hallpass.store.connections.find(bConn.body.id);
    assert.equal(after?.clientId, 'b-client');
    assert.equal(after?.state, 'active');
  });

  it('an unknown token gets a 404 page, a revoked link a 410 page, each naming whom to ask', async () => {
    const ua = new UserAgent();
    const unknown = await ua.get(`${hallpass.url}/setup/not-a-real-token`);
    assert.equal(unknown.status, 404);
    assert.match(text(unknown), /not valid.*Ask whoever sent you this link/);
    const org = await newOrg('Acme revoked');
    const link = await sdkLink(org);
    const stored = await hallpass.store.setupLinks.findByTokenHash(hashSecret(tokenOf(link)));
    assert.ok(await hallpass.store.setupLinks.revoke(org, stored!.id, new Date(clock)));
    const revoked = await ua.get(link);
    assert.equal(revoked.status, 410);
    assert.match(text(revoked), /was revoked.*Ask whoever sent you this link/);
    assert.doesNotMatch(unknown.body, /<form\b/, 'the error page has no form');
  });

  it('an API link expires 5 minutes after it was made if never opened; once opened it lives a session, and is refused after (410)', async () => {
    const org = await newOrg('Acme expiry');
    const unopened = await sdkLink(org);
    const opened = await sdkLink(org);
    const ua = new UserAgent();
    assert.equal((await ua.get(opened)).status, 200);
    clock += 6 * 60_000;
    const used = await hallpass.store.setupLinks.findByTokenHash(hashSecret(tokenOf(opened)));
    assert.ok(used?.firstOpenedAt && used.lastUsedAt, 'its first opening and last use are stamped');
    assert.equal(used.expiresAt.getTime(), used.firstOpenedAt.getTime() + 12 * 3_600_000, 'opened, it lives as long as a dashboard session may');
    const expired = await ua.get(unopened);
    assert.equal(expired.status, 410);
    assert.match(text(expired), /has expired.*Ask whoever sent you this link/);
    assert.equal((await ua.get(opened)).status, 200, 'opened in time, it lives on');
    clock += 13 * 3_600_000;
    const reused = await ua.get(opened);
    assert.equal(reused.status, 410);
    assert.match(text(reused), /has expired/);
    clock = Date.now();
  });

  it('a form with a forged or missing CSRF token is refused, in the same browser as a working one', async () => {
    const org = await newOrg('Acme CSRF');
    const ua = new UserAgent();
    const choose = await ua.click(await ua.get(await sdkLink(org)), 'OpenID Connect');
    // The browser holds the CSRF cookie; only the form's token is wrong (a forged cross-site post cannot read it).
    const forged = await ua.submit(choose, { form: '/start', fields: { _csrf: 'forged-token' } });
    assert.equal(forged.status, 403);
    const stranger = await fetch(`${new URL(choose.url).origin}${new URL(choose.url).pathname.replace(/\/[^/]+$/, '')}/oidc/start`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    assert.equal(stranger.status, 403);
    assert.equal((await hallpass.store.connections.list({ organizationId: org, limit: 5, order: 'asc' })).data.length, 0, 'nothing was written');

    const genuine = await ua.submit(choose, { form: '/start' });
    assert.equal(genuine.status, 200);
    assert.equal((await hallpass.store.connections.list({ organizationId: org, limit: 5, order: 'asc' })).data.length, 1, 'the real form works');
  });

});
