/**
 * One small, engine-neutral way to drive a page, so one test body runs in
 * Chromium (playwright-core), Firefox (puppeteer-core over WebDriver BiDi) and
 * WebKit (WebKitGTK's MiniBrowser through WebKitWebDriver and
 * selenium-webdriver, under Xvfb). All from Debian's packages, launched with
 * the flags of /work/shared/BROWSERS.md so no browser looks anything up
 * outside 127.0.0.1.
 *
 * Pages are driven by what a person sees: buttons and links by their text,
 * fields by their label. Each engine only supplies a handful of primitives
 * (go to a URL, evaluate an expression, click or type into the element an
 * expression finds, take a screenshot); waiting for the next page and finding
 * elements are written once, here.
 *
 * Without the engine a test is skipped with the reason outside CI, and fails
 * under CI=true (like test/support/browser.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, devices, type ElementHandle, type JSHandle } from 'playwright-core';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface TabOptions {
  /** A phone-sized viewport (Chromium: a Pixel 7 with touch; WebKit: a 390×844 window, which MiniBrowser widens to 447 px). */
  phone?: boolean;
}

/** What each engine provides. */
interface Primitives {
  goto(url: string): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  /** Clicks, natively, the element `expression` evaluates to. */
  click(expression: string): Promise<void>;
  /** Replaces the value of the field `expression` evaluates to, typing it natively. */
  type(expression: string, value: string): Promise<void>;
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

export interface Engine {
  name: EngineName;
  /** A page with an empty cookie jar. */
  newTab(options?: TabOptions): Promise<Tab>;
  close(): Promise<void>;
}

const installHints: Record<EngineName, string> = {
  chromium: 'apt-get install chromium',
  firefox: 'apt-get install firefox-esr',
  webkit: 'apt-get install --no-install-recommends webkit2gtk-driver libwebkit2gtk-4.1-0 xvfb',
};
const requiredFiles: Record<EngineName, string[]> = {
  chromium: ['/usr/bin/chromium'],
  firefox: ['/usr/lib/firefox-esr/firefox-esr'],
  webkit: ['/usr/bin/WebKitWebDriver', '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/bin/Xvfb'],
};

/** The engine, or undefined after marking `t` skipped when it is not installed (outside CI). */
export async function launchEngine(name: EngineName, t: TestContext): Promise<Engine | undefined> {
  const missing = requiredFiles[name].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    const reason = `${name} not installed (${missing.join(', ')} missing): run \`${installHints[name]}\`; CI installs it`;
    if (process.env.CI === 'true') throw new Error(`${reason} (browser tests must run in CI)`);
    t.skip(reason);
    return undefined;
  }
  return launchers[name]();
}

const launchers: Record<EngineName, () => Promise<Engine>> = { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebKit };

// ---------------------------------------------------------------- Chromium

async function launchChromium(): Promise<Engine> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });
  return {
    name: 'chromium',
    async newTab(options = {}) {
      const context = await browser.newContext(options.phone ? { ...devices['Pixel 7'] } : { viewport: { width: 1024, height: 800 } });
      const page = await context.newPage();
      const element = async (expression: string) => {
        const handle = ((await page.evaluateHandle(expression)) as JSHandle).asElement();
        if (!handle) throw new Error(`no element for ${expression.slice(0, 120)}`);
        return handle as ElementHandle<HTMLElement>;
      };
      return new Tab('chromium', {
        goto: async (url) => void (await page.goto(url)),
        evaluate: (expression) => page.evaluate(expression),
        click: async (expression) => (options.phone ? (await element(expression)).tap() : (await element(expression)).click()),
        type: async (expression, value) => (await element(expression)).fill(value),
        screenshot: () => page.screenshot({ fullPage: true }),
        close: () => context.close(),
      });
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------- Firefox

async function launchFirefox(): Promise<Engine> {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/lib/firefox-esr/firefox-esr',
    headless: true,
    // Both are needed to stop Firefox's background traffic (BROWSERS.md).
    env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
    extraPrefsFirefox: { 'services.settings.server': 'data:,#remote-settings-dummy/v1' },
    defaultViewport: { width: 1024, height: 800 },
  });
  return {
    name: 'firefox',
    async newTab() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const element = async (expression: string) => {
        const handle = (await page.evaluateHandle(expression)).asElement();
        if (!handle) throw new Error(`no element for ${expression.slice(0, 120)}`);
        return handle as import('puppeteer-core').ElementHandle<HTMLInputElement>;
      };
      return new Tab('firefox', {
        goto: async (url) => void (await page.goto(url)),
        evaluate: (expression) => page.evaluate(expression) as never,
        click: async (expression) => (await element(expression)).click(),
        type: async (expression, value) => {
          const field = await element(expression);
          await field.evaluate((el) => (el.value = ''));
          await field.type(value);
        },
        screenshot: async () => Buffer.from(await page.screenshot({ fullPage: true })),
        close: () => context.close(),
      });
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------- WebKit

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const quietGtk = { NO_AT_BRIDGE: '1', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' };

async function launchWebKit(): Promise<Engine> {
  const { Builder } = await import('selenium-webdriver');
  const children: ChildProcess[] = [];
  const stopChildren = () => {
    for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  };
  try {
    const { child: xvfb, display } = await startXvfb();
    children.push(xvfb);
    const port = await freePort();
    const driverProcess = spawn('/usr/bin/WebKitWebDriver', [`--port=${port}`, '--host=local'], {
      env: { ...process.env, ...quietGtk, DISPLAY: `:${display}` },
      stdio: 'ignore',
    });
    children.push(driverProcess);
    await waitForPort(port);
    const build = new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } })
      .build();
    // Without a working display the session never starts: give up instead of hanging.
    const driver = await Promise.race([
      build,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('WebKitWebDriver did not start a session in 30 s')), 30_000)),
    ]);
    let open: Tab | undefined;
    return {
      name: 'webkit',
      // One MiniBrowser per file: a new tab is the same window with every cookie deleted (all test servers share the host 127.0.0.1).
      async newTab(options = {}) {
        if (open) throw new Error('the WebKit engine drives one tab at a time: close the previous one');
        await driver.manage().window().setRect(options.phone ? { width: 390, height: 844 } : { width: 1024, height: 800 });
        const element = (expression: string) => driver.executeScript<import('selenium-webdriver').WebElement>(`return ${expression}`);
        const tab = new Tab('webkit', {
          goto: async (url) => driver.get(url),
          evaluate: (expression) => driver.executeScript(`return ${expression}`),
          click: async (expression) => (await element(expression)).click(),
          type: async (expression, value) => {
            const field = await element(expression);
            await field.clear();
            await field.sendKeys(value);
          },
          screenshot: async () => Buffer.from(await driver.takeScreenshot(), 'base64'),
          close: async () => {
            await driver.manage().deleteAllCookies();
            await driver.get('about:blank');
            open = undefined;
          },
        });
        open = tab;
        return tab;
      },
      async close() {
        await driver.quit().catch(() => {});
        stopChildren();
      },
    };
  } catch (err) {
    stopChildren();
    throw err;
  }
}

/** Xvfb on a display it picks itself (`-displayfd`). */
function startXvfb(): Promise<{ child: ChildProcess; display: number }> {
  const child = spawn('/usr/bin/Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => {
      out += chunk;
      if (out.includes('\n')) resolve({ child, display: Number(out.trim()) });
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/status`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`WebKitWebDriver did not listen on ${port}`);
}

// ---------------------------------------------------------------- the neutral layer

/** Finds a button, link or field the way a person would; runs inside the page. */
const finders = `({
  normal: (s) => (s || '').replace(/\\s+/g, ' ').trim(),
  byText(name) {
    const all = [...document.querySelectorAll('button, input[type=submit], a')];
    return all.find((el) => this.normal(el.innerText || el.value || el.getAttribute('aria-label')) === name) || null;
  },
  byLabel(text) {
    const label = [...document.querySelectorAll('label')].find((l) => this.normal(l.innerText) === text);
    return label ? (label.control || document.getElementById(label.htmlFor)) : null;
  },
})`;

export class Tab {
  readonly engine: EngineName;
  readonly #do: Primitives;

  constructor(engine: EngineName, primitives: Primitives) {
    this.engine = engine;
    this.#do = primitives;
  }

  async goto(url: string): Promise<void> {
    await this.#do.goto(url);
    await this.#settled();
  }

  url(): Promise<string> {
    return this.#do.evaluate<string>('location.href');
  }

  /** The page's visible text, spaces collapsed. */
  async text(): Promise<string> {
    return (await this.#do.evaluate<string>('document.body.innerText')).replace(/\s+/g, ' ').trim();
  }

  /** The text of the element with this id, or null when there is none. */
  textOf(id: string): Promise<string | null> {
    return this.#do.evaluate<string | null>(`(document.getElementById(${JSON.stringify(id)}) || { innerText: null }).innerText`);
  }

  evaluate<T>(expression: string): Promise<T> {
    return this.#do.evaluate<T>(expression);
  }

  /** Clicks the button or link with this visible text and waits for the page it leads to. */
  async click(name: string): Promise<void> {
    const expression = `${finders}.byText(${JSON.stringify(name)})`;
    if (!(await this.#do.evaluate<boolean>(`!!${expression}`))) throw new Error(`no button or link "${name}" on ${await this.url()}: ${(await this.text()).slice(0, 300)}`);
    await this.#navigating(() => this.#do.click(expression));
  }

  /** Whether a button or link with this visible text is on the page. */
  has(name: string): Promise<boolean> {
    return this.#do.evaluate<boolean>(`!!${finders}.byText(${JSON.stringify(name)})`);
  }

  /** Types into the field with this label. */
  async fill(label: string, value: string): Promise<void> {
    const expression = `${finders}.byLabel(${JSON.stringify(label)})`;
    if (!(await this.#do.evaluate<boolean>(`!!${expression}`))) throw new Error(`no field labelled "${label}" on ${await this.url()}`);
    await this.#do.type(expression, value);
  }

  async screenshot(file: string): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, await this.#do.screenshot());
  }

  close(): Promise<void> {
    return this.#do.close();
  }

  /** Runs `action` and waits until a new document has replaced this one and finished loading. */
  async #navigating(action: () => Promise<void>): Promise<void> {
    await this.#do.evaluate('(window.__hallpassOldPage = true)');
    await action();
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const done = await this.#do.evaluate<boolean>("!window.__hallpassOldPage && document.readyState === 'complete'").catch(() => false);
      if (done) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no new page after the click (still on ${await this.url()})`);
  }

  async #settled(): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (await this.#do.evaluate<boolean>("document.readyState === 'complete'").catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
