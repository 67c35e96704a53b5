/**
 * A real browser (Chromium) walks one "Log in with Clever" and one Portal
 * launch through the sandbox's pages to a tiny local app that echoes the
 * query it receives.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, describe, test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { ids, loadTestSeed, startTestSandbox } from './helpers.ts';

/** The "app": answers its callback with the query as JSON. */
async function startEchoApp(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const query = Object.fromEntries(new URL(request.url!, 'http://app').searchParams);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(query));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}` };
}

const app = await startEchoApp();
after(() => new Promise<void>((resolve) => app.server.close(() => resolve())));

const seed = await loadTestSeed();
const fullApp = seed.apps.find((a) => a.client_id === 'full-app')!;
fullApp.redirect_uris = [`${app.url}/primary`, `${app.url}/callback`];
const { url: base } = await startTestSandbox(seed);

// One Chromium for both tests, launched by the first; each test skips (or, in CI, fails) without it.
let launched: Browser | undefined;
after(() => launched?.close());

/** A page in a fresh browser context (no cookies), closed after the test; undefined when the test is skipped. */
async function newPage(t: TestContext): Promise<Page | undefined> {
  launched ??= await launchBrowser(t);
  if (!launched) return undefined;
  const context = await launched.newContext();
  t.after(() => context.close());
  return context.newPage();
}

describe('in Chromium', () => {
  test('Log in with Clever: Google step, sign-in form, back to the app with code, scope and state', async (t) => {
    const page = await newPage(t);
    if (!page) return;
    const state = 'état-李-1';
    const authorize = new URL(`${base}/oauth/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'full-app',
      redirect_uri: `${app.url}/callback`,
      state,
      district_id: ids.rio,
    }).toString();
    await page.goto(authorize.href);
    await page.getByRole('link', { name: 'Log in with Google' }).click();
    await page.getByLabel('Username').fill('nandu');
    await page.getByLabel('Password').fill('pw-nandu');
    await Promise.all([page.waitForURL(`${app.url}/callback?**`), page.getByRole('button', { name: 'Sign in' }).click()]);
    const echoed = JSON.parse(await page.locator('body').innerText()) as Record<string, string>;
    assert.match(echoed.code!, /^[0-9a-f]{32}$/);
    assert.equal(echoed.scope, 'read:user_id read:sis');
    assert.equal(echoed.state, state);
  });

  test('Portal: sign in, see the tiles, launch an app at its primary redirect URI', async (t) => {
    const page = await newPage(t);
    if (!page) return;
    await page.goto(`${base}/in/rio`);
    await page.getByRole('link', { name: 'Log in with Google' }).click();
    await page.getByLabel('Username').fill('dana');
    await page.getByLabel('Password').fill('pw-dana');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/in/rio`);
    assert.equal(await page.locator('#portal-role').innerText(), 'District admin');
    assert.equal(await page.locator('a.unsupported').getAttribute('href'), 'https://reading.example/');
    await Promise.all([page.waitForURL(`${app.url}/primary?**`), page.getByRole('button', { name: 'Full App' }).click()]);
    const echoed = JSON.parse(await page.locator('body').innerText()) as Record<string, string>;
    assert.deepEqual(Object.keys(echoed).sort(), ['code', 'scope']);
  });
});
