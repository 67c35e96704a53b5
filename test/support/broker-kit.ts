/**
 * Helpers for end-to-end login tests: a Hallpass broker, the management API
 * (raw HTTP for Hallpass's own endpoints, the WorkOS SDK for the rest),
 * browser-less sign-in at the Clever sandbox and the test OpenID provider, and
 * the login attempts Hallpass records.
 */
import { WorkOS } from '@workos-inc/node';
import type { LoginAttempt } from '../../src/store/types.ts';
import type { Page, UserAgent } from './user-agent.ts';
import type { RunningHallpass } from './hallpass.ts';

/** The app's redirect URI in tests: never requested, the user agent stops there. */
export const APP_CALLBACK = 'http://127.0.0.1:9/app/callback';
export const stopAtApp = (url: URL) => url.href.startsWith(APP_CALLBACK);

/** The unmodified WorkOS SDK pointed at a test broker. */
export function workosFor(hallpass: RunningHallpass): WorkOS {
  const url = new URL(hallpass.url);
  return new WorkOS(hallpass.apiKey, { apiHostname: url.hostname, port: Number(url.port), https: false, clientId: hallpass.clientId });
}

/** Calls a management endpoint with the test API key; returns status and JSON body. */
export async function api(hallpass: RunningHallpass, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${hallpass.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${hallpass.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Creates an organization and an active connection through the API. */
export async function createOrgWithConnection(hallpass: RunningHallpass, org: { name: string }, connection: Record<string, unknown>): Promise<{ organizationId: string; connectionId: string; connection: any }> {
  const created = await api(hallpass, 'POST', '/organizations', { name: org.name });
  if (created.status !== 201 && created.status !== 200) throw new Error(`organization: ${created.status} ${JSON.stringify(created.body)}`);
  const conn = await api(hallpass, 'POST', '/connections', { organization_id: created.body.id, name: `${org.name} SSO`, ...connection });
  if (conn.status !== 201 && conn.status !== 200) throw new Error(`connection: ${conn.status} ${JSON.stringify(conn.body)}`);
  if (conn.body.state !== 'active') throw new Error(`connection is ${conn.body.state}: ${conn.body.validation_error}`);
  return { organizationId: created.body.id, connectionId: conn.body.id, connection: conn.body };
}

/**
 * Signs in at the sandbox from wherever the page is: the district's login page
 * ("Log in with …"), the IdP's form, and the role picker for multi-role users.
 */
export async function signInAtClever(ua: UserAgent, page: Page, username: string, options: { role?: string; stopAt?: (url: URL) => boolean } = {}): Promise<Page> {
  const stopAt = options.stopAt ?? stopAtApp;
  if (page.stopped) return page;
  if (page.body.includes('id="idp-login"')) page = await ua.click(page, 'idp-login', { stopAt });
  if (page.body.includes('id="login-form"')) {
    page = await ua.submit(page, { form: 'login-form', fields: { username, password: 'hallpass' }, stopAt });
  }
  if (!page.stopped && options.role && page.body.includes(`id="role-${options.role}"`)) {
    page = await ua.submit(page, { form: `role-${options.role}`, stopAt });
  }
  return page;
}

/** The `code` (and `state`) the app received, or the error it was sent. */
export function appResult(page: Page): { code: string | null; state: string | null; error: string | null; errorDescription: string | null } {
  if (!page.stopped || !stopAtApp(new URL(page.url))) {
    throw new Error(`the login did not come back to the app; it ended on ${page.url} (${page.status}): ${page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400)}`);
  }
  const url = new URL(page.url);
  return {
    code: url.searchParams.get('code'),
    state: url.searchParams.get('state'),
    error: url.searchParams.get('error'),
    errorDescription: url.searchParams.get('error_description'),
  };
}

/**
 * The WorkOS SDK as a public client (a browser, mobile or CLI app): a client
 * ID and no API key, so `getProfileAndToken` proves possession with the PKCE
 * `code_verifier` alone.
 */
export function publicWorkosFor(hallpass: RunningHallpass): WorkOS {
  const url = new URL(hallpass.url);
  return new WorkOS({ clientId: hallpass.clientId, apiHostname: url.hostname, port: Number(url.port), https: false });
}

/**
 * Submits the login form of the test OpenID provider (test/support/oidc-provider.ts)
 * when the page shows it; a browser with a live session there skips the form.
 */
export async function signInAtOidcProvider(ua: UserAgent, page: Page, login: string, password: string, stopAt: (url: URL) => boolean = stopAtApp): Promise<Page> {
  if (page.stopped || !page.body.includes('name="login"')) return page;
  return ua.submit(page, { fields: { login, password }, stopAt });
}

/** The newest login attempt recorded for a connection. */
export async function latestLoginAttempt(hallpass: RunningHallpass, connectionId: string): Promise<LoginAttempt> {
  const { data } = await hallpass.store.loginAttempts.list({ connectionId, limit: 1, order: 'desc' });
  if (!data[0]) throw new Error(`no login attempt recorded for ${connectionId}`);
  return data[0];
}
