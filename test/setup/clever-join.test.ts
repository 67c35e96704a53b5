/**
 * A Clever district joins an organization through a setup link: one sign-in
 * by a district administrator through the vendor's Clever app (the Clever
 * sandbox as Clever), no secret typed. Then the district's students sign in
 * through Log in with Clever and a Portal launch. Refused: a user who is not a
 * district administrator, and a district another organization serves.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { APP_CALLBACK, api, appResult, createOrgWithConnection, signInAtClever, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT, SECOND_DISTRICT } from '../support/clever-seed.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { decodeHtml, UserAgent, type Page } from '../support/user-agent.ts';

let hallpass: RunningHallpass;
let sandbox: RunningCleverSandbox;

before(async () => {
  hallpass = await startHallpass({ redirectUris: [APP_CALLBACK] });
  sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
  // The vendor's Clever app already serves another district, so the app is set up; the sandbox district is not served.
  await createOrgWithConnection(hallpass, { name: 'Río Grande Unified' }, {
    connection_type: 'CleverOIDC', client_id: HALLPASS_APP.clientId, client_secret: HALLPASS_APP.clientSecret,
    discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`, district_id: SECOND_DISTRICT,
  });
});
after(async () => {
  await sandbox?.close();
  await hallpass?.close();
});

const text = (page: Page) => decodeHtml(page.body.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

async function linkFor(name: string): Promise<{ organizationId: string; link: string }> {
  const org = await api(hallpass, 'POST', '/organizations', { name });
  const { link } = await workosFor(hallpass).portal.generateLink({ organization: org.body.id, intent: 'sso' as any });
  return { organizationId: org.body.id, link };
}

/** Opens the link, chooses Clever, signs in at the sandbox's school picker as `username`; returns the setup page it comes back to. */
async function joinAs(link: string, username: string): Promise<Page> {
  const ua = new UserAgent();
  let page = await ua.get(link);
  page = await ua.click(page, 'Clever');
  assert.match(text(page), /Connect your Clever district/);
  page = await ua.submit(page, { form: '/clever/sign-in' });
  if (page.body.includes('school-search')) {
    // A sandbox district is found by its ID.
    page = await ua.submit(page, { form: 'school-search', fields: { q: SANDBOX_DISTRICT } });
    page = await ua.click(page, 'Hallpass Sandbox District');
  }
  page = await signInAtClever(ua, page, username, { stopAt: () => false });
  assert.match(page.url, /\/setup\/test-result/, `ended on ${page.url}: ${text(page).slice(0, 300)}`);
  return page;
}

const cleverConnections = async (organizationId: string) =>
  (await hallpass.store.connections.list({ organizationId, connectionType: 'CleverOIDC', limit: 10, order: 'asc' })).data;

it('a student is refused and told to ask a district administrator; nothing is created', async () => {
  const { organizationId, link } = await linkFor('Sandbox District (student try)');
  const page = await joinAs(link, 'nandu.perez');
  assert.equal(page.status, 403);
  assert.match(text(page), /Only a district administrator can connect the district.*Ask a district administrator of your district to open this link/);
  assert.equal((await cleverConnections(organizationId)).length, 0);
});

it('a district administrator\'s sign-in joins the district; then its students sign in by Log in with Clever and by a Portal launch', async () => {
  const { organizationId, link } = await linkFor('Hallpass Sandbox District');
  const page = await joinAs(link, 'dana.okafor');
  assert.equal(page.status, 200);
  assert.match(text(page), /Your district is connected.*53ee4b8a44abc88c1c00119b now signs in as Hallpass Sandbox District/);
  const [joined] = await cleverConnections(organizationId);
  assert.equal(joined?.districtId, SANDBOX_DISTRICT);
  assert.equal(joined?.state, 'active');
  assert.equal(joined?.clientId, HALLPASS_APP.clientId);
  const audit = (await hallpass.store.auditLog.list({ limit: 10, order: 'desc', targetId: joined!.id } as any)).data;
  assert.equal(audit[0]?.actor.type, 'setup_link');
  assert.equal(audit[0]?.action, 'connection.created');
  const attempts = (await hallpass.store.loginAttempts.list({ limit: 20, order: 'desc' } as any)).data.filter((a) => a.initiatedBy === 'setup');
  assert.ok(attempts.some((a) => a.districtId === SANDBOX_DISTRICT), 'the sign-in is in Sign-in sessions as a setup test');

  // Log in with Clever.
  const workos = workosFor(hallpass);
  const ua = new UserAgent();
  const url = workos.sso.getAuthorizationUrl({ organization: organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'st' });
  const result = appResult(await signInAtClever(ua, await ua.get(url, { stopAt: stopAtApp }), 'nandu.perez'));
  assert.ok(result.code, `${result.error}: ${result.errorDescription}`);
  const { profile } = await workos.sso.getProfileAndToken({ code: result.code, clientId: hallpass.clientId });
  assert.equal(profile.organizationId, organizationId);
  assert.deepEqual(profile.groups, ['student']);

  // A Portal launch.
  const portalUa = new UserAgent();
  const portal = await signInAtClever(portalUa, await portalUa.get(`${sandbox.url}/in/hallpass-sandbox`), 'nandu.perez');
  const launched = appResult(await portalUa.submit(portal, { form: `launch-${HALLPASS_APP.clientId}`, stopAt: stopAtApp }));
  assert.ok(launched.code, `${launched.error}: ${launched.errorDescription}`);
  const launchedProfile = (await workos.sso.getProfileAndToken({ code: launched.code, clientId: hallpass.clientId })).profile;
  assert.equal(launchedProfile.organizationId, organizationId);
});

it('a district served by another organization is refused with what to do', async () => {
  const { organizationId, link } = await linkFor('Imposter');
  const page = await joinAs(link, 'dana.okafor');
  assert.equal(page.status, 409);
  assert.match(text(page), /already connected to another organization.*tell whoever sent you this link/);
  assert.equal((await cleverConnections(organizationId)).length, 0);
});
