/**
 * Setup links in Chromium, as the vendor and the customer's IT admin would
 * use them, driven by what the pages say; axe-core checks every page and each
 * IT-admin step is kept as docs/screenshots/setup-*.png.
 *
 * - The vendor makes a link on the organization's page; the IT admin sets up
 *   OpenID Connect against a real OpenID provider (a failed test first, then
 *   a successful one) and presses Done; an app then signs a user in through
 *   the new connection with the WorkOS SDK. The vendor revokes the link; it
 *   then says so.
 * - A district no organization serves signs in and is listed on the Clever
 *   page; the vendor sends it a setup link in one step; its district
 *   administrator (dana.okafor) signs in through the Clever sandbox; then a
 *   student (nandu.perez) signs in by Log in with Clever and a Portal launch.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { accessibilityProblems } from '../support/axe.ts';
import { launchBrowser } from '../support/browser.ts';
import { APP_CALLBACK, api, appResult, createOrgWithConnection, signInAtClever, signInAtOidcProvider, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT, SECOND_DISTRICT } from '../support/clever-seed.ts';
import { createTestAdmin, type TestAdmin } from '../support/dashboard.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { startOidcProvider, type RunningOidcProvider } from '../support/oidc-provider.ts';
import { UserAgent } from '../support/user-agent.ts';

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url);
/** The README's screenshots are refreshed by `npm run screenshots` only, so a plain test run leaves the checkout alone. */
const UPDATE_SCREENSHOTS = process.env.HALLPASS_UPDATE_SCREENSHOTS === '1';

let browser: Browser | undefined;
let hallpass: RunningHallpass;
let sandbox: RunningCleverSandbox;
let op: RunningOidcProvider;
let admin: TestAdmin;
const contexts: BrowserContext[] = [];
const cspViolations: string[] = [];
const checked = new Set<string>();

before(async () => {
  hallpass = await startHallpass({ redirectUris: [APP_CALLBACK] });
  sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
  op = await startOidcProvider({ accounts: [{ id: 'ivy-1', login: 'ivy', password: 'pw-ivy', email: 'ivy@lakeside.example', given_name: 'Ivy', family_name: 'Ito' }] });
  admin = await createTestAdmin(hallpass, 'support@vendor.example');
  // The vendor's Clever app serves one district already.
  await createOrgWithConnection(hallpass, { name: 'Río Grande Unified' }, {
    connection_type: 'CleverOIDC', client_id: HALLPASS_APP.clientId, client_secret: HALLPASS_APP.clientSecret,
    discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`, district_id: SECOND_DISTRICT,
  });
  await mkdir(SCREENSHOTS, { recursive: true });
});
after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await op?.close();
  await sandbox?.close();
  await hallpass?.close();
});

/** A fresh browser context (a person of their own), under the strict CSP; undefined when Chromium is missing outside CI. */
async function person(t: TestContext): Promise<Page | undefined> {
  browser ??= await launchBrowser(t);
  if (!browser) return undefined;
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  await context.route(`${hallpass.url}/**`, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "default-src 'self'; frame-ancestors 'none'" } });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
  });
  return page;
}

/** axe-core once per kind of page, the CSP held, and a screenshot when named. */
async function look(page: Page, name: string, screenshot = true): Promise<void> {
  await page.waitForLoadState('load');
  assert.deepEqual(cspViolations, [], 'the page works under a strict CSP');
  if (!checked.has(name)) {
    checked.add(name);
    assert.deepEqual(await accessibilityProblems(page), [], `accessibility of ${name} (${page.url()})`);
  }
  if (screenshot && UPDATE_SCREENSHOTS) await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}

async function signInToDashboard(page: Page): Promise<void> {
  await page.goto(`${hallpass.url}/dashboard`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
}

it('an IT admin sets up OpenID Connect through a link from the dashboard; an app then signs in; a revoked link says so', async (t) => {
  const vendor = await person(t);
  if (!vendor) return;
  const org = await api(hallpass, 'POST', '/organizations', { name: 'Lakeside Academy' });
  await signInToDashboard(vendor);
  await vendor.goto(`${hallpass.url}/dashboard/organizations/${org.body.id}`);
  await vendor.getByRole('link', { name: 'Setup links' }).click();
  await vendor.getByRole('button', { name: 'Create setup link' }).click();
  const link = (await vendor.locator('#setup-link').innerText()).trim();
  assert.match(link, /\/setup\/[A-Za-z0-9_-]{43}$/);
  await look(vendor, 'setup-dashboard-link');

  const itAdmin = (await person(t))!;
  await itAdmin.goto(link);
  await itAdmin.getByRole('heading', { level: 1, name: 'Set up single sign-on for Lakeside Academy' }).waitFor();
  await look(itAdmin, 'setup-1-choose');
  await itAdmin.getByRole('link', { name: 'OpenID Connect' }).click();
  await itAdmin.getByRole('button', { name: 'Get my Redirect URI' }).click();
  const redirectUri = (await itAdmin.locator('#redirect-uri').innerText()).trim();
  assert.match(redirectUri, /\/sso\/oidc\/callback\/conn_/);
  await look(itAdmin, 'setup-2-redirect-uri');
  op.addClient({ client_id: 'lakeside', client_secret: 'lakeside-secret', redirect_uris: [redirectUri] });

  await itAdmin.getByLabel('Discovery endpoint').fill(op.discoveryEndpoint);
  await itAdmin.getByLabel('Client ID').fill('lakeside');
  await itAdmin.getByLabel('Client secret').fill('not-the-secret');
  await itAdmin.getByRole('button', { name: 'Save and check' }).click();
  assert.match(await itAdmin.locator('#notice').innerText(), /Saved and checked/);
  assert.match(await itAdmin.locator('#connection-state').innerText(), /Not active yet/);

  await itAdmin.getByRole('button', { name: 'Test sign-in' }).click();
  await itAdmin.getByLabel('Login').fill('ivy');
  await itAdmin.getByLabel('Password').fill('pw-ivy');
  await itAdmin.getByRole('button', { name: 'Sign in' }).click();
  await itAdmin.getByRole('heading', { name: /Test sign-in failed at: Token exchange/ }).waitFor();
  assert.match(await itAdmin.locator('#connection-state').innerText(), /Not active yet/);
  await look(itAdmin, 'setup-3-test-failed');

  await itAdmin.getByLabel('Client secret').fill('lakeside-secret');
  await itAdmin.getByRole('button', { name: 'Save and check' }).click();
  await itAdmin.getByRole('button', { name: 'Test sign-in' }).click();
  // The provider remembers Ivy: no second login form.
  await itAdmin.getByRole('heading', { name: 'Test sign-in succeeded' }).waitFor();
  assert.match(await itAdmin.locator('#connection-state').innerText(), /Active/);
  await look(itAdmin, 'setup-4-test-succeeded');
  await itAdmin.getByRole('link', { name: 'Done' }).click();
  await itAdmin.getByRole('heading', { name: 'All set' }).waitFor();
  await look(itAdmin, 'setup-5-finished');

  // An app signs a user in through the new connection with the SDK.
  const workos = workosFor(hallpass);
  const ua = new UserAgent();
  const url = workos.sso.getAuthorizationUrl({ organization: org.body.id, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'app' });
  const result = appResult(await signInAtOidcProvider(ua, await ua.get(url, { stopAt: stopAtApp }), 'ivy', 'pw-ivy'));
  assert.ok(result.code, `${result.error}: ${result.errorDescription}`);
  const { profile } = await workos.sso.getProfileAndToken({ code: result.code, clientId: hallpass.clientId });
  assert.equal(profile.email, 'ivy@lakeside.example');

  // The vendor sees it was used, and revokes it.
  await vendor.goto(`${hallpass.url}/dashboard/organizations/${org.body.id}/setup-links`);
  const row = vendor.getByRole('table').getByRole('row').nth(1);
  assert.match(await row.innerText(), /^Active/);
  assert.doesNotMatch(await row.innerText(), /Never/, 'the link shows when it was last used');
  vendor.once('dialog', (dialog) => dialog.accept());
  await vendor.getByRole('button', { name: /Revoke/ }).click();
  assert.match(await vendor.locator('#notice').innerText(), /revoked/);
  assert.match(await vendor.getByRole('table').innerText(), /Revoked/);
  const revoked = await itAdmin.goto(link);
  assert.equal(revoked?.status(), 410);
  await itAdmin.getByRole('heading', { name: 'This setup link was revoked' }).waitFor();
  await look(itAdmin, 'setup-link-revoked');
});

it('a Clever district joins by its district administrator\'s sign-in, from a link sent from the Clever page; its students then sign in', async (t) => {
  const vendor = await person(t);
  if (!vendor) return;
  // A student of a district nobody serves tries to sign in: the district is now pending.
  const ua = new UserAgent();
  const tried = await ua.get(workosFor(hallpass).sso.getAuthorizationUrl({ provider: 'CleverOIDC' as never, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'p' }), { stopAt: stopAtApp });
  const picker = await ua.submit(tried, { form: 'school-search', fields: { q: SANDBOX_DISTRICT } });
  const refused = await signInAtClever(ua, await ua.click(picker, 'Hallpass Sandbox District', { stopAt: stopAtApp }), 'nandu.perez');
  assert.match(refused.body, /No organization is set up for Clever district/);

  await signInToDashboard(vendor);
  await vendor.goto(`${hallpass.url}/dashboard/clever`);
  const district = vendor.getByRole('article').filter({ hasText: SANDBOX_DISTRICT });
  await district.getByLabel(/^Organization's name/).fill('Hallpass Sandbox District');
  await district.getByRole('button', { name: 'Send a setup link' }).click();
  const link = (await vendor.locator('#setup-link').innerText()).trim();
  await look(vendor, 'setup-dashboard-clever-link');

  const districtAdmin = (await person(t))!;
  await districtAdmin.goto(link);
  await districtAdmin.getByRole('link', { name: 'Clever', exact: true }).click();
  await look(districtAdmin, 'setup-clever-1-sign-in');
  await districtAdmin.getByRole('button', { name: 'Sign in with Clever' }).click();
  await districtAdmin.getByLabel(/school|district/i).first().fill(SANDBOX_DISTRICT);
  await districtAdmin.keyboard.press('Enter');
  await districtAdmin.getByRole('link', { name: 'Hallpass Sandbox District' }).click();
  await districtAdmin.getByRole('link', { name: /Log in with/ }).click();
  await districtAdmin.getByLabel('Username').fill('dana.okafor');
  await districtAdmin.getByLabel('Password').fill('hallpass');
  await districtAdmin.getByRole('button', { name: 'Sign in' }).click();
  await districtAdmin.getByRole('heading', { name: 'Your district is connected' }).waitFor();
  assert.match(await districtAdmin.locator('#districts').innerText(), new RegExp(SANDBOX_DISTRICT));
  await look(districtAdmin, 'setup-clever-2-joined');

  // The student signs in by Log in with Clever, and by a Portal launch.
  const workos = workosFor(hallpass);
  const student = new UserAgent();
  const url = workos.sso.getAuthorizationUrl({ provider: 'CleverOIDC' as never, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'again' });
  const search = await student.submit(await student.get(url, { stopAt: stopAtApp }), { form: 'school-search', fields: { q: SANDBOX_DISTRICT } });
  const login = appResult(await signInAtClever(student, await student.click(search, 'Hallpass Sandbox District', { stopAt: stopAtApp }), 'nandu.perez'));
  assert.ok(login.code, `${login.error}: ${login.errorDescription}`);
  const { profile } = await workos.sso.getProfileAndToken({ code: login.code, clientId: hallpass.clientId });
  assert.equal(profile.rawAttributes?.user_type, 'student');
  const organizationId = profile.organizationId;
  const portalUa = new UserAgent();
  const portal = await signInAtClever(portalUa, await portalUa.get(`${sandbox.url}/in/hallpass-sandbox`), 'nandu.perez');
  const launched = appResult(await portalUa.submit(portal, { form: `launch-${HALLPASS_APP.clientId}`, stopAt: stopAtApp }));
  assert.ok(launched.code);
  assert.equal((await workos.sso.getProfileAndToken({ code: launched.code, clientId: hallpass.clientId })).profile.organizationId, organizationId);
});
