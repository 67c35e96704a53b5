/**
 * The dashboard's Settings, Sign-in sessions, Clever and Audit log pages in
 * Chromium, walked as a support engineer would, on SQLite and PostgreSQL:
 * create and revoke an API key (a revoked key gets 401), add and remove a
 * redirect URI, a Portal launch and an Instant Login in Sign-in sessions, the
 * reference of an error page finding its session, a district no organization
 * serves becoming served from the Clever page, and every change in the audit
 * log. Every page runs under a strict CSP and axe-core checks it; screenshots are taken at each step
 * (into $HALLPASS_SCREENSHOT_DIR when set).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { api, APP_CALLBACK, appResult, createOrgWithConnection, signInAtClever, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { accessibilityProblems } from '../support/axe.ts';
import { launchBrowser } from '../support/browser.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT, UNSERVED_DISTRICT } from '../support/clever-seed.ts';
import { createTestAdmin, type TestAdmin } from '../support/dashboard.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent } from '../support/user-agent.ts';

const screenshotDir = process.env.HALLPASS_SCREENSHOT_DIR ?? (await mkdtemp(join(tmpdir(), 'hallpass-screens-')));
/** The README's screenshots, refreshed by the SQLite run under `npm run screenshots` (HALLPASS_UPDATE_SCREENSHOTS=1). */
const README_SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;

forEachDatabase('dashboard: Settings, Sign-in sessions, Clever, Audit log', (database) => {
  let db: OpenTestDatabase;
  let hallpass: RunningHallpass;
  let sandbox: RunningCleverSandbox;
  let admin: TestAdmin;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let served: { organizationId: string; connectionId: string };
  let shot = 0;
  /** Everything Chromium refused under the strict CSP; must stay empty. */
  const cspViolations: string[] = [];

  /** Checks the page with axe-core and saves a screenshot named after the step (`readme`: also the README's, from the SQLite run). */
  async function look(name: string, readme?: string): Promise<void> {
    await page.waitForLoadState('load');
    assert.deepEqual(cspViolations, [], `${name}: the page works under a strict CSP`);
    assert.deepEqual(await accessibilityProblems(page), [], `${name}: accessibility`);
    await page.screenshot({ path: join(screenshotDir, `${database.name}-${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });
    if (readme && database.name === 'sqlite' && process.env.HALLPASS_UPDATE_SCREENSHOTS === '1') {
      await mkdir(README_SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(README_SCREENSHOTS, `${readme}.png`), fullPage: true });
    }
  }

  before(async () => {
    db = await database.open();
    hallpass = await startHallpass({ databaseUrl: db.databaseUrl, redirectUris: [APP_CALLBACK] });
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
    served = await createOrgWithConnection(hallpass, { name: 'Sandbox District' }, {
      connection_type: 'CleverOIDC',
      client_id: HALLPASS_APP.clientId,
      client_secret: HALLPASS_APP.clientSecret,
      discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
      district_id: SANDBOX_DISTRICT,
    });
    await api(hallpass, 'POST', '/organizations', { name: 'Nowhere Schools' });
    admin = await createTestAdmin(hallpass);
  });
  after(async () => {
    await browser?.close();
    await sandbox?.close();
    await hallpass?.close();
    await db?.cleanup();
  });

  it('signs in', async (t: TestContext) => {
    browser = await launchBrowser(t);
    if (!browser) return;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The strict policy the broker's pages must work under (the security-headers hook sets it): no inline script or style.
    await context.route(`${hallpass.url}/**`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "default-src 'self'; frame-ancestors 'none'" } });
    });
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    await page.goto(`${hallpass.url}/dashboard/settings`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await look('settings');
  });

  it('creates an API key shown once, and a revoked key gets 401', async (t: TestContext) => {
    if (!browser) return t.skip('no browser');
    // Spaces pass the browser's `required` check; the server refuses them and says so next to the field.
    await page.getByLabel('Name', { exact: true }).fill('   ');
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByText('Give the key a name.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Deploy bot — Ñandú');
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByText('it is shown only this once').waitFor();
    const key = (await page.locator('#api-key-value').textContent())!.trim();
    assert.match(key, /^sk_/);
    await look('api-key-created', 'settings-api-key-created');
    const withKey = () => fetch(`${hallpass.url}/organizations`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal((await withKey()).status, 200);

    await page.goto(`${hallpass.url}/dashboard/settings`);
    assert.equal(await page.getByText(key).count(), 0, 'the key is not shown again');
    const row = page.getByRole('row').filter({ hasText: 'Deploy bot — Ñandú' });
    await row.getByText(`sk_…${key.slice(-4)}`).waitFor();
    await row.getByRole('button', { name: 'Revoke Deploy bot — Ñandú' }).click();
    await page.getByText('The API key was revoked').waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'Deploy bot — Ñandú' }).count(), 0);
    assert.equal((await withKey()).status, 401);
    await look('api-key-revoked');
  });

  it('adds a redirect URI, makes it the default, and removes it; a refused one keeps what was typed', async (t: TestContext) => {
    if (!browser) return t.skip('no browser');
    await page.getByLabel('Redirect URI', { exact: true }).fill('https://app.example/cb#frag');
    await page.getByRole('button', { name: 'Add redirect URI' }).click();
    await page.getByText('must not contain a fragment').waitFor();
    assert.equal(await page.getByLabel('Redirect URI', { exact: true }).inputValue(), 'https://app.example/cb#frag');
    await look('redirect-uri-refused');

    const uri = 'https://app.example/launch';
    await page.getByLabel('Redirect URI', { exact: true }).fill(uri);
    await page.getByLabel(/Make it the default/).uncheck();
    await page.getByRole('button', { name: 'Add redirect URI' }).click();
    await page.getByText('The redirect URI was added.').waitFor();
    await page.getByRole('button', { name: `Make ${uri} the default` }).click();
    await page.getByText('The default redirect URI was changed.').waitFor();
    await page.getByRole('row').filter({ hasText: uri }).getByText('Default').waitFor();
    assert.equal((await hallpass.store.settings.get()).defaultRedirectUri, uri);
    await look('redirect-uri-default');
    await page.getByRole('button', { name: `Make ${APP_CALLBACK} the default` }).click();
    await page.getByRole('button', { name: `Remove ${uri}` }).click();
    await page.getByText('The redirect URI was removed.').waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: uri }).count(), 0);

    await page.getByRole('textbox', { name: 'Default role' }).fill('Not A Slug');
    await page.getByRole('button', { name: 'Save default role' }).click();
    await page.getByText('A role slug').waitFor();
    await page.getByRole('textbox', { name: 'Default role' }).fill('learner');
    await page.getByRole('button', { name: 'Save default role' }).click();
    await page.getByText('The default role was saved.').waitFor();
  });

  let reference = '';

  it('shows a Portal launch, an Instant Login and a failed sign-in in Sign-in sessions; the error page reference finds it', async (t: TestContext) => {
    if (!browser) return t.skip('no browser');
    // Clever's side, as people would use it (no dashboard involved).
    const portalUa = new UserAgent();
    const portal = await signInAtClever(portalUa, await portalUa.get(`${sandbox.url}/in/hallpass-sandbox`), 'li.ming');
    const workos = workosFor(hallpass);
    const launched = appResult(await portalUa.submit(portal, { form: `launch-${HALLPASS_APP.clientId}`, stopAt: stopAtApp }));
    await workos.sso.getProfileAndToken({ code: launched.code!, clientId: hallpass.clientId });
    const instantUa = new UserAgent();
    const instant = await instantUa.get(`${sandbox.url}/oauth/instant-login?client_id=${HALLPASS_APP.clientId}&district_id=${SANDBOX_DISTRICT}`, { stopAt: stopAtApp });
    const instantResult = appResult(await signInAtClever(instantUa, instant, 'nandu.perez'));
    await workos.sso.getProfileAndToken({ code: instantResult.code!, clientId: hallpass.clientId });
    const unservedUa = new UserAgent();
    const unserved = await unservedUa.get(`${sandbox.url}/oauth/instant-login?client_id=${HALLPASS_APP.clientId}&district_id=${UNSERVED_DISTRICT}`, { stopAt: stopAtApp });
    const errorPage = await signInAtClever(unservedUa, unserved, 'uma');
    assert.equal(errorPage.status, 400);
    reference = /Reference: <code>(login_[0-9A-Z]{26})<\/code>/.exec(errorPage.body)?.[1] ?? '';
    assert.ok(reference, 'the error page shows a reference');

    await page.getByRole('link', { name: 'Sign-in sessions' }).click();
    await page.getByRole('heading', { name: 'Sign-in sessions', level: 1 }).waitFor();
    const launches = page.getByRole('row').filter({ hasText: 'Clever launch' });
    assert.equal(await launches.filter({ hasText: 'Succeeded' }).count(), 2, 'the Portal launch and the Instant Login');
    assert.equal(await launches.filter({ hasText: 'Failed' }).count(), 1);
    await page.getByRole('row').filter({ hasText: 'Li' }).filter({ hasText: 'Sandbox District' }).first().waitFor();
    await look('sign-in-sessions', 'sign-in-sessions');

    await page.getByLabel('Outcome').selectOption('failed');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('organization_invalid').first().waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'Succeeded' }).count(), 0);

    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.getByLabel('Person or reference').fill(reference);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Sign-in session', level: 1 }).waitFor();
    await page.getByText(reference).waitFor();
    await page.getByText(UNSERVED_DISTRICT).first().waitFor();
    await page.getByRole('link', { name: 'serve it from the Clever page' }).waitFor();
    await page.getByRole('cell', { name: /Organization found.*failed/ }).waitFor();
    await look('sign-in-session-failed', 'sign-in-session-failed');

    await page.goto(`${hallpass.url}/dashboard/sign-in-sessions?search=${encodeURIComponent('nandu')}`);
    await page.getByRole('row').filter({ hasText: 'Ñandú' }).getByRole('link', { name: /UTC$/ }).first().click();
    await page.getByText('"given_name": "Ñandú"').waitFor();
    await page.getByRole('cell', { name: 'Token exchange' }).waitFor();
    await page.getByRole('cell', { name: 'Code redeemed by the app' }).waitFor();
    await look('sign-in-session-succeeded', 'sign-in-session');
  });

  it('a district no organization serves shows under Clever and is served after "Add to an organization"', async (t: TestContext) => {
    if (!browser) return t.skip('no browser');
    await page.getByRole('link', { name: 'Clever', exact: true }).click();
    await page.getByRole('heading', { name: 'Clever', level: 1 }).waitFor();
    await page.getByRole('table', { name: `Clever app ${HALLPASS_APP.clientId}` }).getByRole('row').filter({ hasText: SANDBOX_DISTRICT }).filter({ hasText: 'Sandbox District' }).waitFor();
    const district = page.getByRole('article').filter({ hasText: UNSERVED_DISTRICT });
    await district.getByText('1 sign-in, the last at').waitFor();
    await look('clever-unserved', 'clever-unserved');

    await district.getByLabel('Organization', { exact: true }).selectOption({ label: 'Nowhere Schools' });
    await district.getByRole('button', { name: 'Add to an organization' }).click();
    await page.getByText(`District ${UNSERVED_DISTRICT} is now served.`).waitFor();
    await page.getByRole('row').filter({ hasText: UNSERVED_DISTRICT }).filter({ hasText: 'Nowhere Schools' }).waitFor();
    await page.getByText('None: every district that signed in is served.').waitFor();
    await look('clever-served', 'clever-served');

    // Uma can sign in now, and lands in Nowhere Schools.
    const ua = new UserAgent();
    const start = await ua.get(`${sandbox.url}/oauth/instant-login?client_id=${HALLPASS_APP.clientId}&district_id=${UNSERVED_DISTRICT}`, { stopAt: stopAtApp });
    assert.ok(appResult(await signInAtClever(ua, start, 'uma')).code);
  });

  it('shows every change in the audit log, with who made it, and filters it', async (t: TestContext) => {
    if (!browser) return t.skip('no browser');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    for (const action of ['api_key.created', 'api_key.revoked', 'redirect_uri.created', 'redirect_uri.updated', 'redirect_uri.deleted', 'settings.updated', 'connection.created']) {
      const rows = page.getByRole('row').filter({ hasText: action });
      assert.ok((await rows.filter({ hasText: admin.email }).count()) >= 1, `${action} by the admin`);
    }
    // Changes made through the API before: the test key's name is the actor.
    assert.ok((await page.getByRole('row').filter({ hasText: 'organization.created' }).filter({ hasText: 'API key' }).count()) >= 2);
    await page.getByRole('row').filter({ hasText: 'settings.updated' }).getByText('learner').waitFor();
    assert.equal(await page.getByText(/sk_[A-Za-z0-9_-]{20,}/).count(), 0, 'no API key value in the log');
    await look('audit-log', 'audit-log');

    await page.getByLabel('What').selectOption({ label: 'API keys' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=api_key/);
    await page.getByRole('caption').getByText('Changes matching the filters').waitFor();
    const rows = page.getByRole('table').getByRole('row');
    assert.equal(await rows.count(), 3, 'the header and two changes');
    assert.match((await rows.nth(1).textContent())!, /api_key\.revoked/);
    assert.match((await rows.nth(2).textContent())!, /api_key\.created/);

    // Who: the changes the test's API key ("test") made to organizations.
    await page.getByLabel('Admin or key name').fill('test');
    await page.getByLabel('What').selectOption({ label: 'Organizations' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/name=test/);
    assert.equal(await rows.filter({ hasText: 'organization.created' }).count(), 2, 'the two organizations the test API key created');
    assert.equal(await rows.filter({ hasText: admin.email }).count(), 0);
  });

  it('reads at phone width', async (t: TestContext) => {
    if (!browser) return t.skip('no browser');
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const [cookies] = [await context.cookies()];
    await phone.addCookies(cookies);
    const small = await phone.newPage();
    for (const path of ['settings', 'sign-in-sessions', 'clever', 'audit-log']) {
      await small.goto(`${hallpass.url}/dashboard/${path}`);
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at phone width`);
      await small.screenshot({ path: join(screenshotDir, `${database.name}-phone-${path}.png`), fullPage: true });
    }
    await phone.close();
  });
});
