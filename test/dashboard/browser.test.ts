/**
 * A new support engineer's walk through the dashboard in Chromium, on SQLite
 * and on PostgreSQL, driven by what the pages say (roles and labels):
 * sign in; create an organization; configure a Clever OIDC connection against
 * the Clever sandbox by seed 000's steps; Test SSO shows the profile;
 * configure an OpenID Connect connection against a real OpenID provider with
 * a role mapping, and Test SSO shows the mapped role; a wrong discovery
 * endpoint says why; a hostile IdP's bad ID token names the failed check.
 * axe-core checks every page; with HALLPASS_UPDATE_SCREENSHOTS=1 (`npm run
 * screenshots`) the SQLite run refreshes docs/screenshots.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { accessibilityProblems } from '../support/axe.ts';
import { launchBrowser } from '../support/browser.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT } from '../support/clever-seed.ts';
import { createTestAdmin, type TestAdmin } from '../support/dashboard.ts';
import { forEachDatabase, type EmptyTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { startHostileIdp, type RunningHostileIdp } from '../support/hostile-idp.ts';
import { startOidcProvider, type RunningOidcProvider } from '../support/oidc-provider.ts';

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url);
/** `npm run screenshots` sets this; plain test runs leave the committed pictures alone. */
const UPDATE_SCREENSHOTS = process.env.HALLPASS_UPDATE_SCREENSHOTS === '1';

let browser: Browser | undefined;
after(() => browser?.close());

forEachDatabase('dashboard in Chromium', (database) => {
  let empty: EmptyTestDatabase;
  let hallpass: RunningHallpass;
  let sandbox: RunningCleverSandbox;
  let oidc: RunningOidcProvider;
  let hostile: RunningHostileIdp;
  let admin: TestAdmin;
  let context: BrowserContext | undefined;
  let page: Page;
  const checked = new Set<string>();
  /** Everything Chromium refused under the strict CSP; must stay empty. */
  const cspViolations: string[] = [];

  before(async () => {
    empty = await database.create();
    hallpass = await startHallpass({ databaseUrl: empty.databaseUrl });
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
    oidc = await startOidcProvider({
      accounts: [{ id: 'grace-1', login: 'grace', password: 'pw-grace', email: 'grace@lakeside.example', given_name: 'Grace', family_name: 'Hopper', groups: ['staff', 'g-teachers'] }],
    });
    hostile = await startHostileIdp();
    admin = await createTestAdmin(hallpass, 'support@vendor.example');
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await context?.close();
    await hostile?.close();
    await oidc?.close();
    await sandbox?.close();
    await hallpass?.close();
    await empty?.cleanup();
  });

  /** The shared page, in a fresh browser context; undefined when the test is skipped (no Chromium outside CI). */
  async function open(t: TestContext): Promise<Page | undefined> {
    browser ??= await launchBrowser(t);
    if (!browser) return undefined;
    if (!context) {
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(10_000);
      // The strict policy the broker's pages must work under (set globally by the security-headers hook):
      // no inline script or style, nothing from elsewhere.
      await context.route(`${hallpass.url}/**`, async (route) => {
        const response = await route.fetch({ maxRedirects: 0 });
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "default-src 'self'; frame-ancestors 'none'" } });
      });
      page = await context.newPage();
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
      });
    }
    return page;
  }

  /** Checks the page with axe-core (once per kind of page) and, on SQLite, keeps a screenshot. */
  async function look(name: string): Promise<void> {
    await page.waitForLoadState('load');
    assert.deepEqual(cspViolations, [], 'the page works under a strict CSP');
    if (!checked.has(name)) {
      checked.add(name);
      assert.deepEqual(await accessibilityProblems(page), [], `accessibility of ${name} (${page.url()})`);
    }
    if (UPDATE_SCREENSHOTS && database.name === 'sqlite') await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
  }

  /** A link of the dashboard's main navigation. */
  const nav = (name: string) => page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name, exact: true });

  async function createOrganization(name: string, domains: string): Promise<void> {
    await nav('Organizations').click();
    await page.getByRole('link', { name: 'Create organization' }).click();
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Domains').fill(domains);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
  }

  async function configureManually(provider: 'Clever OIDC' | 'OpenID Connect'): Promise<string> {
    await page.getByRole('link', { name: 'Configure manually' }).click();
    await look('configure-manually');
    await page.getByLabel('Identity provider').selectOption({ label: provider });
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { name: 'Service Provider Details' }).waitFor();
    return (await page.locator('#redirect-uri').innerText()).trim();
  }

  async function updateConnection(fields: Record<string, string>): Promise<void> {
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
    await page.getByRole('button', { name: 'Update connection' }).click();
    await page.waitForLoadState('load');
  }

  it('signs in', async (t) => {
    if (!(await open(t))) return;
    await page.goto(`${hallpass.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Hallpass' }).waitFor();
    await look('sign-in');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('alert').innerText(), /do not match/);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/dashboard/organizations');
  });

  it('creates an organization; a refused form keeps what was typed and says what is wrong', async (t) => {
    if (!(await open(t))) return;
    await page.getByRole('link', { name: 'Create organization' }).click();
    await page.getByLabel('Name').fill('Hallpass Sandbox District');
    await page.getByLabel('Domains').fill('sandbox.hallpass.example, springfield');
    await page.getByRole('button', { name: 'Create organization' }).click();
    assert.equal(await page.getByLabel('Name').inputValue(), 'Hallpass Sandbox District');
    assert.equal(await page.locator('#domains-error').innerText(), '“springfield” is not a domain name such as school.example.');
    await look('organization-form-refused');
    await page.getByLabel('Domains').fill('sandbox.hallpass.example');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hallpass Sandbox District' }).waitFor();
    assert.match(await page.getByRole('status').innerText(), /Organization created/);
    await look('organization');
  });

  it('configures a Clever OIDC connection by seed 000’s steps, and Test SSO shows the profile', async (t) => {
    if (!(await open(t))) return;
    // "Select Configure manually under Single Sign-On … Select Clever OIDC … Click Create Connection."
    const redirectUri = await configureManually('Clever OIDC');
    assert.equal(redirectUri, `${hallpass.url}/sso/clever/callback`, 'the Redirect URI registered in the sandbox app');
    assert.match(await page.locator('#state-explanation').innerText(), /enter the Client ID, the Client secret and the District ID/);
    await look('connection-draft');
    // "Enter the client ID and client secret … into the respective fields in the Settings section. Click Update connection."
    await updateConnection({
      'Client ID': HALLPASS_APP.clientId,
      'Client secret': HALLPASS_APP.clientSecret,
      'Discovery endpoint': `${sandbox.url}/.well-known/openid-configuration`,
      'District ID': SANDBOX_DISTRICT,
    });
    assert.match(await page.getByRole('status').first().innerText(), /Connection updated/);
    assert.match(await page.locator('#state-explanation').innerText(), /People can sign in/);
    assert.equal(await page.getByLabel('Client secret').inputValue(), '', 'the secret is never shown');
    assert.match(await page.getByText('A client secret is set').innerText(), /never shown/);
    assert.ok(await page.getByRole('link', { name: 'Start an Instant Login' }).isVisible());
    await look('connection-clever');
    // "Click Test SSO to initiate a test authentication flow."
    await page.getByRole('button', { name: 'Test SSO' }).click();
    await page.getByRole('link', { name: /Log in with/ }).click();
    await page.getByLabel('Username').fill('nandu.perez');
    await page.getByLabel('Password').fill('hallpass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Test SSO succeeded' }).waitFor();
    assert.equal(new URL(page.url()).origin, hallpass.url);
    const profile = JSON.parse(await page.locator('#profile').innerText()) as Record<string, any>;
    assert.equal(profile.first_name, 'Ñandú');
    assert.equal(profile.connection_type, 'CleverOIDC');
    assert.equal(await page.locator('#test-role').innerText(), 'member');
    await look('test-sso-clever');
  });

  it('configures an OpenID Connect connection with a role mapping, and Test SSO shows the mapped role', async (t) => {
    if (!(await open(t))) return;
    await createOrganization('Lakeside Schools', 'lakeside.example');
    const redirectUri = await configureManually('OpenID Connect');
    assert.match(redirectUri, /\/sso\/oidc\/callback\/conn_/);
    // The organization's IT team registers the Redirect URI in their identity provider.
    oidc.addClient({ client_id: 'lakeside-app', client_secret: 'lakeside-secret', redirect_uris: [redirectUri] });
    await updateConnection({ 'Client ID': 'lakeside-app', 'Client secret': 'lakeside-secret', 'Discovery endpoint': oidc.discoveryEndpoint });
    assert.match(await page.locator('#state-explanation').innerText(), /People can sign in/);
    // Role assignment: two mappings, then the second moved first.
    for (const [group, role] of [['staff', 'staff'], ['g-teachers', 'teacher']] as const) {
      await page.getByLabel('IdP group ID').fill(group);
      await page.getByLabel('Role', { exact: true }).fill(role);
      await page.getByRole('button', { name: 'Add role mapping' }).click();
      await page.waitForLoadState('load');
    }
    await page.getByRole('button', { name: 'Move up g-teachers' }).click();
    await page.waitForLoadState('load');
    const rows = await page.getByRole('table', { name: 'Role mappings, first match wins' }).locator('tbody tr').allInnerTexts();
    assert.match(rows[0]!, /g-teachers\s+teacher/);
    assert.equal(await page.locator('#default-role').innerText(), 'member');
    // A bad role slug is refused next to its field, keeping what was typed.
    await page.getByLabel('IdP group ID').fill('admins');
    await page.getByLabel('Role', { exact: true }).fill('Not A Slug');
    await page.getByRole('button', { name: 'Add role mapping' }).click();
    assert.match(await page.locator('#role-error').innerText(), /role slug/);
    assert.equal(await page.getByLabel('IdP group ID').inputValue(), 'admins');
    await look('connection-oidc');
    await page.getByRole('button', { name: 'Test SSO' }).click();
    await page.getByLabel('Login').fill('grace');
    await page.getByLabel('Password').fill('pw-grace');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Test SSO succeeded' }).waitFor();
    assert.equal(await page.locator('#test-role').innerText(), 'teacher');
    const claims = JSON.parse(await page.locator('#claims').innerText()) as Record<string, unknown>;
    assert.deepEqual(claims.groups, ['staff', 'g-teachers']);
    await look('test-sso-oidc');
  });

  it('says why a wrong discovery endpoint keeps the connection a draft', async (t) => {
    if (!(await open(t))) return;
    // The same provider under another host name: its metadata names a different issuer.
    await updateConnection({ 'Discovery endpoint': oidc.discoveryEndpoint.replace('127.0.0.1', 'localhost') });
    assert.match(await page.getByRole('status').first().innerText(), /still a draft/);
    assert.match(await page.locator('#state-explanation').innerText(), /discovery check failed: issuer http:\/\/127\.0\.0\.1:\d+ does not match the discovery endpoint http:\/\/localhost/);
    assert.equal(await page.getByRole('button', { name: 'Test SSO' }).isDisabled(), true);
    await look('connection-discovery-failed');
    await updateConnection({ 'Discovery endpoint': 'not a url' });
    assert.match(await page.locator('#discovery_endpoint-error').innerText(), /well-known\/openid-configuration/);
    assert.equal(await page.getByLabel('Discovery endpoint').inputValue(), 'not a url');
  });

  it('names the failed ID-token check when a hostile IdP lies about the issuer', async (t) => {
    if (!(await open(t))) return;
    await createOrganization('Hostile Academy', '');
    await configureManually('OpenID Connect');
    await updateConnection({ 'Client ID': hostile.clientId, 'Client secret': hostile.clientSecret, 'Discovery endpoint': hostile.discoveryEndpoint });
    hostile.setFault('wrong_issuer');
    await page.getByRole('button', { name: 'Test SSO' }).click();
    await page.getByRole('heading', { name: /Test SSO failed at/ }).waitFor();
    assert.match(await page.locator('#failed-step').innerText(), /ID token check: the "iss" claim/);
    assert.match(await page.locator('#advice').innerText(), /Discovery endpoint/);
    await look('test-sso-failed');
  });

  it('lists and searches organizations, usable at phone width', async (t) => {
    if (!(await open(t))) return;
    await nav('Organizations').click();
    await page.getByLabel('Search by name or domain').fill('LAKESIDE.ex');
    await page.getByRole('button', { name: 'Search' }).click();
    const names = await page.getByRole('table').locator('tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(names, ['Lakeside Schools']);
    await page.getByRole('link', { name: 'Show all' }).click();
    await look('organizations');
    await page.getByRole('link', { name: 'Lakeside Schools' }).click();
    await page.getByRole('link', { name: 'Edit organization' }).click();
    await page.getByLabel('External ID').fill('crm-4711');
    await page.getByLabel('Allow profiles outside organization').check();
    await look('organization-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    assert.match(await page.getByRole('status').innerText(), /Changes saved/);
    assert.match(await page.locator('dl.facts').innerText(), /crm-4711[\s\S]*Allowed/);
    await nav('Organizations').click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Hallpass Sandbox District' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hallpass Sandbox District' }).waitFor();
    // After the stylesheet has loaded: layout forced earlier would measure the unstyled page.
    await page.waitForLoadState('load');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling at phone width (page is ${width}px wide)`);
    await look('organization-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('invites an admin from Settings → Admins; the invitation, delete-connection and not-found pages pass axe too', async (t) => {
    if (!(await open(t))) return;
    await page.goto(`${hallpass.url}/dashboard/settings/admins`);
    await page.getByLabel('Email').fill('colleague@vendor.example');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const link = await page.locator('#invite-url').innerText();
    await look('admins');
    const guest = await browser!.newContext();
    try {
      const invited = await guest.newPage();
      await invited.goto(link);
      assert.deepEqual(await accessibilityProblems(invited), [], 'accessibility of the invitation page');
      await invited.getByLabel('Password', { exact: true }).fill('a long passphrase of words');
      await invited.getByLabel('Password again').fill('a long passphrase of words');
      await invited.getByRole('button', { name: 'Create account' }).click();
      await invited.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
    } finally {
      await guest.close();
    }
    await nav('Organizations').click();
    await page.getByRole('link', { name: 'Lakeside Schools' }).click();
    await page.getByRole('link', { name: 'Lakeside Schools' }).last().click();
    await page.getByRole('link', { name: 'Delete connection' }).click();
    await look('connection-delete');
    await page.goto(`${hallpass.url}/dashboard/organizations/org_DOES_NOT_EXIST`);
    await look('not-found');
  });

  it('deletes an organization after a confirmation that names its connections', async (t) => {
    if (!(await open(t))) return;
    await nav('Organizations').click();
    await page.getByRole('link', { name: 'Hostile Academy' }).click();
    await page.getByRole('link', { name: 'Delete organization' }).click();
    assert.match(await page.getByRole('status').innerText(), /the SSO connection Hostile Academy/);
    await look('organization-delete');
    await page.getByRole('button', { name: 'Delete organization' }).click();
    assert.match(await page.getByRole('status').innerText(), /Organization deleted/);
    assert.equal(await page.getByRole('link', { name: 'Hostile Academy' }).count(), 0);
  });
});
