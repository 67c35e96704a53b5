/**
 * The load: a fixed number of virtual users, each a browser with its own
 * cookies, logging in over and over (a closed loop). Each first signs in at
 * the sandbox once, as a person would; after that Clever's live session makes
 * a full login four requests:
 *
 *   GET  broker  /sso/authorize        → 302 to the sandbox (sets hallpass_login)
 *   GET  sandbox /oauth/authorize      → 302 to the broker's callback with a code
 *   GET  broker  /sso/clever/callback  → 302 to the app with a Hallpass code
 *   POST broker  /sso/token            → 200 with the profile
 *
 * A login counts only when the profile is the signed-in user's.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import { BINDING_COOKIE } from '../src/sso/browser-binding.ts';
import { sessionCookieName } from '../src/sandbox/clever/flow/session-cookie.ts';
import { UserAgent } from '../test/support/user-agent.ts';
import { CookieJar, keepAliveAgent, send, type HttpResponse } from './http-client.ts';
import { APP_REDIRECT_URI, BENCH_USER } from './stack.ts';

/** What the load needs to know about the stack under test. */
export interface LoginTarget {
  brokerUrl: string;
  sandboxUrl: string;
  clientId: string;
  apiKey: string;
  organizationId: string;
}

/** Running totals since the load started; the figures of a window are the difference of two snapshots. */
export interface LoadCounters {
  logins: number;
  errors: number;
  /** Latency of every counted login, in completion order (a window is a slice by `logins`). */
  readonly latenciesMs: readonly number[];
  /** Errors by step and status, with the first message of each kind. */
  readonly errorKinds: ReadonlyMap<string, { count: number; example: string }>;
}

/** A failed step of a login. */
class LoginError extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

function expectRedirect(step: string, response: HttpResponse, prefix: string): string {
  const location = response.headers.location;
  if (response.status !== 302 || !location?.startsWith(prefix)) {
    throw new LoginError(`${step} ${response.status}`, `${step}: expected a 302 to ${prefix}…, got ${response.status} to ${location ?? '(none)'}: ${response.body.slice(0, 300)}`);
  }
  return location;
}

export class LoadGenerator {
  private readonly agent: http.Agent;
  private readonly jars: CookieJar[] = [];
  private readonly authorizeUrl: string;
  private readonly tokenUrl: URL;
  private readonly callbackPrefix: string;
  private readonly sandboxAuthorizePrefix: string;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly latencies: number[] = [];
  private readonly kinds = new Map<string, { count: number; example: string }>();
  private readonly totals = { logins: 0, errors: 0 };

  constructor(private readonly target: LoginTarget, private readonly users: number) {
    this.agent = keepAliveAgent(users);
    const authorize = new URL('/sso/authorize', target.brokerUrl);
    authorize.search = new URLSearchParams({
      client_id: target.clientId,
      redirect_uri: APP_REDIRECT_URI,
      response_type: 'code',
      organization: target.organizationId,
    }).toString();
    // `state` is appended per login.
    this.authorizeUrl = `${authorize.href}&state=`;
    this.tokenUrl = new URL('/sso/token', target.brokerUrl);
    // `…/sso/clever/callback` for the deployment's first Clever app, `…/{client_id}` for the others.
    this.callbackPrefix = `${target.brokerUrl}/sso/clever/callback`;
    this.sandboxAuthorizePrefix = `${target.sandboxUrl}/oauth/authorize?`;
  }

  /** Signs every virtual user in at the sandbox (a few at a time), then starts their login loops. */
  async start(): Promise<void> {
    for (let i = 0; i < this.users; i += 8) {
      const batch = Array.from({ length: Math.min(8, this.users - i) }, () => this.signIn());
      this.jars.push(...(await Promise.all(batch)));
    }
    this.running = true;
    this.loops = this.jars.map((jar) => this.loop(jar));
  }

  counters(): LoadCounters {
    return { ...this.totals, latenciesMs: this.latencies, errorKinds: this.kinds };
  }

  /** Lets every login in flight finish, then closes the sockets. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.agent.destroy();
  }

  /**
   * One person's first login, through the pages: the broker sends them to
   * the sandbox with the connection's district, which shows the district's
   * login page; "Log in with Google"
   * leads to the IdP form. Returns the cookies the broker and the sandbox set.
   */
  private async signIn(): Promise<CookieJar> {
    const ua = new UserAgent();
    const stopAt = (url: URL) => url.href.startsWith(APP_REDIRECT_URI);
    let page = await ua.get(`${this.authorizeUrl}sign-in`, { stopAt });
    page = await ua.click(page, 'idp-login', { stopAt });
    page = await ua.submit(page, { form: 'login-form', fields: { username: BENCH_USER.username, password: BENCH_USER.password }, stopAt });
    if (!page.stopped || !new URL(page.url).searchParams.get('code')) throw new Error(`the first sign-in did not reach the app: ${page.url} (${page.status})`);

    const jar = new CookieJar();
    for (const [origin, name] of [[this.target.brokerUrl, BINDING_COOKIE], [this.target.sandboxUrl, sessionCookieName]] as const) {
      const value = ua.cookie(origin, name);
      if (!value) throw new Error(`no ${name} cookie after signing in`);
      jar.set(new URL(origin), name, value);
    }
    return jar;
  }

  private async loop(jar: CookieJar): Promise<void> {
    while (this.running) {
      const started = performance.now();
      try {
        await this.login(jar);
        this.latencies.push(performance.now() - started);
        this.totals.logins++;
      } catch (err) {
        this.totals.errors++;
        const kind = err instanceof LoginError ? err.kind : `network ${(err as NodeJS.ErrnoException).code ?? (err as Error).name}`;
        const entry = this.kinds.get(kind) ?? { count: 0, example: (err as Error).message };
        entry.count++;
        this.kinds.set(kind, entry);
      }
    }
  }

  private async get(jar: CookieJar, href: string): Promise<HttpResponse> {
    const url = new URL(href);
    const cookie = jar.header(url);
    const response = await send(this.agent, url, { method: 'GET', headers: cookie ? { cookie } : {} });
    jar.store(url, response.headers['set-cookie']);
    return response;
  }

  private async login(jar: CookieJar): Promise<void> {
    const state = randomBytes(12).toString('base64url');
    const toSandbox = expectRedirect('authorize', await this.get(jar, this.authorizeUrl + state), this.sandboxAuthorizePrefix);
    const toCallback = expectRedirect('sandbox', await this.get(jar, toSandbox), this.callbackPrefix);
    const toApp = new URL(expectRedirect('callback', await this.get(jar, toCallback), `${APP_REDIRECT_URI}?`));
    const code = toApp.searchParams.get('code');
    if (!code || toApp.searchParams.get('state') !== state) throw new LoginError('callback state', `the app got ${toApp.search}, expected a code and state ${state}`);

    const response = await send(this.agent, this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: this.target.clientId, client_secret: this.target.apiKey, grant_type: 'authorization_code', code }).toString(),
    });
    if (response.status !== 200) throw new LoginError(`token ${response.status}`, `token: ${response.status} ${response.body.slice(0, 300)}`);
    const { profile } = JSON.parse(response.body) as { profile?: { idp_id?: string; organization_id?: string; connection_type?: string } };
    if (profile?.idp_id !== BENCH_USER.cleverId || profile.organization_id !== this.target.organizationId || profile.connection_type !== 'CleverOIDC') {
      throw new LoginError('token profile', `token: unexpected profile ${JSON.stringify(profile).slice(0, 300)}`);
    }
  }
}
