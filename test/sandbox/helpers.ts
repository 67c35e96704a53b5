/**
 * Shared set-up for the sandbox tests: a real sandbox on a random port with
 * the test seed and a clock the test can move forward, plus the few steps
 * most tests repeat (signing in, redeeming a code).
 */
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { loadSeedFile, startCleverSandbox, type ClaimRewrites, type ClaimShape, type SandboxSeed, type SandboxSettingsInput } from '../../src/sandbox/clever/index.ts';
import { UserAgent, type Page } from '../support/user-agent.ts';

export const testSeedPath = fileURLToPath(new URL('./fixtures/test-seed.json', import.meta.url));

export const ids = {
  rio: 'fcdaa44f28367bef744da48d',
  springfield: 'df18fdacd7084eb9acf29b11',
  shelbyville: '00b92e7e13b2f4cbba303abd',
  nandu: '3977c47f898cefe687cd1bdb',
  zoe: 'a4cae87194bc4cb4a1cc9006',
  li: '29699350343e7ef6d2781222',
  sam: '736fa481e2693ad0f222ecc5',
  dana: 'c5296a220abd649c6a3e5106',
  marisol: 'd6fa3e87a071bc820baea7a6',
  marisolTeacher: '549409bcdbb391702c07de8c',
  marisolDistrictAdmin: '50d56a87e19db0cab3651ca9',
  bart: 'dd612b593d7f6463c4b0c65a',
  ada: '25585f292fd7eb7a0e7e4601',
} as const;

export const fullApp = {
  clientId: 'full-app',
  secret: 'full-app-secret',
  primary: 'http://localhost:9/primary',
  secondary: 'http://localhost:9/secondary?tenant=1',
} as const;

/** The test apps' redirect URIs are never requested: navigation stops there. */
export const atApp = (url: URL): boolean => url.port === '9' || url.hostname.endsWith('.example');

/** Real time plus an offset the test can grow, so tokens stay valid for client libraries until a test ages them. */
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => void (offset += ms) };
}

export async function loadTestSeed(): Promise<SandboxSeed> {
  return loadSeedFile(testSeedPath);
}

/** Starts a sandbox (default: the test seed, in its default claim shape) for the current test file and stops it afterwards. */
export async function startTestSandbox(
  seed?: SandboxSeed,
  options: { claims?: ClaimShape; settings?: SandboxSettingsInput; rewriteClaims?: ClaimRewrites } = {},
) {
  const clock = testClock();
  const sandbox = await startCleverSandbox({ port: 0, seed: seed ?? (await loadTestSeed()), now: clock.now, ...options });
  after(() => sandbox.close());
  return { sandbox, clock, url: sandbox.url };
}

/**
 * From a page that asks for credentials (a district page with a
 * "Log in with {IdP}" link, or a form), signs in and follows on until the
 * app's redirect URI (not requested) or the next page.
 */
export async function signIn(ua: UserAgent, page: Page, username: string, password: string): Promise<Page> {
  let loginPage = page;
  if (!loginPage.body.includes('id="login-form"')) loginPage = await ua.click(loginPage, 'Log in with');
  return ua.submit(loginPage, { form: 'login-form', fields: { username, password }, stopAt: atApp });
}

/** "Log in with Clever" for a district, start to finish; returns the URL the app received. */
export async function logInWithClever(
  base: string,
  options: { clientId?: string; redirectUri?: string; districtId?: string; state?: string; nonce?: string; username: string; password: string; ua?: UserAgent },
): Promise<URL> {
  const ua = options.ua ?? new UserAgent();
  const params = new URLSearchParams({ response_type: 'code', client_id: options.clientId ?? fullApp.clientId });
  if (options.redirectUri) params.set('redirect_uri', options.redirectUri);
  params.set('district_id', options.districtId ?? ids.rio);
  if (options.state !== undefined) params.set('state', options.state);
  if (options.nonce !== undefined) params.set('nonce', options.nonce);
  const page = await ua.get(`${base}/oauth/authorize?${params}`, { stopAt: atApp });
  const done = page.stopped ? page : await signIn(ua, page, options.username, options.password);
  if (!done.stopped) throw new Error(`login did not reach the app: ${done.status} ${done.url}\n${done.body.slice(0, 500)}`);
  return new URL(done.url);
}

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

/** POSTs a form-encoded token request with Basic auth (the way Clever documents it). */
export async function redeemCode(
  base: string,
  code: string,
  redirectUri: string,
  client: { clientId: string; secret: string } = fullApp,
): Promise<Response> {
  return fetch(`${base}/oauth/tokens`, {
    method: 'POST',
    headers: { authorization: basicAuth(client.clientId, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
  });
}

/** Signs in through Log in with Clever and redeems the code: the access token and ID token of a user. */
export async function tokensFor(base: string, username: string, password: string, extra: { nonce?: string } = {}) {
  const callback = await logInWithClever(base, { username, password, ...extra });
  const response = await redeemCode(base, callback.searchParams.get('code')!, fullApp.primary);
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { access_token: string; token_type: string; id_token: string };
}
