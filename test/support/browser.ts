/**
 * Launches Debian's Chromium through playwright-core for browser tests.
 * Without Chromium a test is skipped with the reason locally, and fails in
 * CI (`CI=true`), where a skipped browser test would hide a broken login.
 *
 *   test('walks the login', async (t) => {
 *     const browser = await launchBrowser(t);
 *     if (!browser) return; // skipped
 *     t.after(() => browser.close());
 *   });
 */
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';

const chromiumPath = '/usr/bin/chromium';

const missingReason = 'Chromium not installed: run `apt-get install chromium`; CI installs it';

// Headless and quiet: no GPU, no QUIC, no background traffic to Google during tests.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Without this Chromium still looks up Google hosts (updates, accounts) whatever the flags above say.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

/** The Chromium browser, or undefined after marking `t` skipped when Chromium is missing (outside CI). */
export async function launchBrowser(t: TestContext): Promise<Browser | undefined> {
  if (!existsSync(chromiumPath)) {
    if (process.env.CI === 'true') throw new Error(`${missingReason} (browser tests must run in CI)`);
    t.skip(missingReason);
    return undefined;
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
