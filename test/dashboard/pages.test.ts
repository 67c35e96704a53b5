/**
 * The dashboard over plain HTTP: unknown IDs and bad input get a clear page
 * with the right status (never a 500), and Test SSO redeems only codes issued
 * to itself, so an app's code stays the app's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { APP_CALLBACK, appResult, createOrgWithConnection, signInAtClever, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT } from '../support/clever-seed.ts';
import { createTestAdmin, signIn, type TestAdmin } from '../support/dashboard.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { startHostileIdp, type Fault, type RunningHostileIdp } from '../support/hostile-idp.ts';
import { UserAgent, type Page } from '../support/user-agent.ts';

describe('dashboard pages over HTTP', () => {
  let hallpass: RunningHallpass;
  let sandbox: RunningCleverSandbox;
  let org: { organizationId: string; connectionId: string };
  const ua = new UserAgent();
  let home: Page;
  let admin: TestAdmin;

  before(async () => {
    hallpass = await startHallpass({ redirectUris: [APP_CALLBACK] });
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
    org = await createOrgWithConnection(hallpass, { name: 'Sandbox' }, {
      connection_type: 'CleverOIDC', client_id: HALLPASS_APP.clientId, client_secret: HALLPASS_APP.clientSecret,
      discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`, district_id: SANDBOX_DISTRICT,
    });
    admin = await createTestAdmin(hallpass);
    home = await signIn(ua, hallpass, admin);
  });
  after(async () => {
    await sandbox?.close();
    await hallpass?.close();
  });

  const csrf = (page: Page) => /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  async function post(path: string, fields: Record<string, string>): Promise<Response> {
    return fetch(`${hallpass.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: ['hallpass_admin', 'hallpass_csrf'].map((n) => `${n}=${ua.cookie(hallpass.url, n)}`).join('; ') },
      body: new URLSearchParams({ _csrf: csrf(home), ...fields }),
    });
  }

  it('answers unknown IDs with a 404 page', async () => {
    for (const path of [
      '/dashboard/organizations/org_NOPE',
      `/dashboard/organizations/${'x'.repeat(600)}`,
      '/dashboard/organizations/org_NOPE/edit',
      '/dashboard/organizations/org_NOPE/connections/new',
      '/dashboard/connections/conn_NOPE',
      '/dashboard/connections/conn_NOPE/delete',
      '/dashboard/test-sso/result?state=login_NOPE',
      '/dashboard/test-sso/result?code=nope&code=twice',
    ]) {
      const page = await ua.get(`${hallpass.url}${path}`);
      assert.equal(page.status, 404, path);
      assert.match(page.headers.get('content-type')!, /text\/html/, path);
      assert.equal(page.headers.get('cache-control'), 'no-store', path);
      assert.doesNotMatch(page.body, /stack|at .*\.ts/i, path);
    }
    for (const path of ['/dashboard/connections/conn_NOPE/settings', '/dashboard/organizations/org_NOPE/delete']) {
      assert.equal((await post(path, {})).status, 404, path);
    }
  });

  it('answers bad input with a 4xx page that says what is wrong', async () => {
    const badType = await post(`/dashboard/organizations/${org.organizationId}/connections/new`, { connection_type: 'SAML' });
    assert.equal(badType.status, 422);
    assert.match(await badType.text(), /Choose Clever OIDC or OpenID Connect/);
    const badAction = await post(`/dashboard/connections/${org.connectionId}/roles`, { action: 'explode' });
    assert.equal(badAction.status, 400);
    const badState = await post(`/dashboard/connections/${org.connectionId}/state`, { state: 'on fire' });
    assert.equal(badState.status, 400);
    const badDistrict = await post(`/dashboard/connections/${org.connectionId}/settings`, { name: 'Sandbox', client_id: HALLPASS_APP.clientId, discovery_endpoint: '', district_id: 'not-hex' });
    assert.equal(badDistrict.status, 422);
    const body = await badDistrict.text();
    assert.match(body, /id="district_id-error"[^>]*>Must be a Clever district ID: 24 hexadecimal characters/);
    assert.match(body, /value="not-hex"/, 'what was typed stays');
    const noName = await post('/dashboard/organizations/new', { name: '   ', domains: 'a.example a.example' });
    assert.equal(noName.status, 422);
    const text = await noName.text();
    assert.match(text, /id="name-error"/);
    assert.match(text, /id="domains-error"[^>]*>Lists a\.example twice/);
    // A taken domain is a conflict, said next to the field.
    await post('/dashboard/organizations/new', { name: 'First', domains: 'taken.example' });
    const taken = await post('/dashboard/organizations/new', { name: 'Second', domains: 'taken.example' });
    assert.equal(taken.status, 409);
    assert.match(await taken.text(), /id="domains-error"[^>]*>Domain taken\.example already belongs to organization org_/);
  });

  it('pages through organizations 20 at a time, newest first, keeping the search', async () => {
    for (let i = 1; i <= 22; i++) await hallpass.store.organizations.create({ id: `org_PAGE${String(i).padStart(2, '0')}`, name: `Paged District ${i}`, externalId: null, allowProfilesOutsideOrganization: false, domains: [], metadata: {} });
    const first = await ua.get(`${hallpass.url}/dashboard/organizations?search=paged`);
    assert.equal((first.body.match(/Paged District \d+/g) ?? []).length, 20);
    assert.match(first.body, /Paged District 22/);
    assert.doesNotMatch(first.body, /rel="prev"/);
    const second = await ua.click(first, 'Next');
    assert.deepEqual(second.body.match(/Paged District \d+/g), ['Paged District 2', 'Paged District 1']);
    const back = await ua.click(second, 'Previous');
    assert.equal((back.body.match(/Paged District \d+/g) ?? []).length, 20);
  });

  it('links a Portal launch and an Instant Login for a Clever sandbox connection', async () => {
    const page = await ua.get(`${hallpass.url}/dashboard/connections/${org.connectionId}`);
    const portal = /href="([^"]+\/in\?district_id=[^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    const instant = /href="([^"]+\/oauth\/instant-login\?[^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    assert.equal(instant, `${sandbox.url}/oauth/instant-login?client_id=${HALLPASS_APP.clientId}&district_id=${SANDBOX_DISTRICT}`);
    const response = await fetch(portal, { redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), '/in/hallpass-sandbox');
  });

  it('Test SSO never redeems a code that was issued to an app', async () => {
    const workos = workosFor(hallpass);
    const app = new UserAgent();
    const url = workos.sso.getAuthorizationUrl({ organization: org.organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 's' });
    const { code } = appResult(await signInAtClever(app, await app.get(url, { stopAt: stopAtApp }), 'jose.garcia'));
    const stolen = await ua.get(`${hallpass.url}/dashboard/test-sso/result?code=${encodeURIComponent(code!)}`);
    assert.equal(stolen.status, 404);
    assert.doesNotMatch(stolen.body, /jose|García/i);
    const { profile } = await workos.sso.getProfileAndToken({ code: code!, clientId: hallpass.clientId });
    assert.equal(profile.firstName, 'José');
  });

  it('Test SSO names the step that failed, and what to do, for each kind of hostile answer', async () => {
    const idp: RunningHostileIdp = await startHostileIdp();
    try {
      const { connectionId } = await createOrgWithConnection(hallpass, { name: 'Hostile' }, {
        connection_type: 'GenericOIDC', client_id: idp.clientId, client_secret: idp.clientSecret, discovery_endpoint: idp.discoveryEndpoint,
      });
      const cases: Array<[Fault, RegExp, RegExp]> = [
        ['token_error', /Token exchange/, /Check the Client secret/],
        ['wrong_audience', /ID token check: the &quot;aud&quot; claim|ID token check: the "aud" claim/, /Discovery endpoint/],
        ['bad_signature', /ID token check: the signature/, /Discovery endpoint/],
        ['userinfo_sub_mismatch', /Userinfo \/ Clever Data API/, /read who signed in/],
      ];
      for (const [fault, step, advice] of cases) {
        idp.setFault(fault);
        const connection = await ua.get(`${hallpass.url}/dashboard/connections/${connectionId}`);
        const result = await ua.submit(connection, { form: '/test' });
        assert.equal(new URL(result.url).pathname, '/dashboard/test-sso/result', fault);
        const failedStep = /id="failed-step">([^<]+)</.exec(result.body)?.[1] ?? '';
        assert.match(failedStep, step, `${fault}: ${failedStep}`);
        assert.match(/id="advice">([^<]+)</.exec(result.body)?.[1] ?? '', advice, fault);
      }
    } finally {
      await idp.close();
    }
  });

  it('Test SSO says when the domain policy refused the person', async () => {
    const domains = await fetch(`${hallpass.url}/organizations/${org.organizationId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${hallpass.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ domains: ['elsewhere.example'] }),
    });
    assert.equal(domains.status, 200);
    try {
      // A browser of its own: no Clever session yet, so the sign-in asks who it is.
      const browser = new UserAgent();
      const connection = await signIn(browser, hallpass, admin, `/dashboard/connections/${org.connectionId}`);
      const result = await signInAtClever(browser, await browser.submit(connection, { form: '/test' }), 'nandu.perez', { stopAt: () => false });
      assert.match(/id="failed-step">([^<]+)</.exec(result.body)?.[1] ?? '', /Domain policy/);
      assert.match(result.body, /allow profiles outside organization/);
    } finally {
      await fetch(`${hallpass.url}/organizations/${org.organizationId}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${hallpass.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ domains: [] }),
      });
    }
  });

  it('Test SSO shows the profile once; a reload says it was shown', async () => {
    const connection = await ua.get(`${hallpass.url}/dashboard/connections/${org.connectionId}`);
    const result = await signInAtClever(ua, await ua.submit(connection, { form: '/test' }), 'li.ming', { stopAt: () => false });
    assert.equal(result.status, 200);
    assert.match(result.body, /Test SSO succeeded/);
    assert.match(result.body, /李/);
    const again = await ua.get(result.url);
    assert.match(again.body, /already shown/);
  });
});
