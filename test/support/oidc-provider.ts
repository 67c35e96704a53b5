/**
 * A real, independent OpenID provider for end-to-end tests and the benchmark:
 * panva's `oidc-provider` (certified OP) on a random local port, with a
 * one-form login page and consent granted automatically.
 *
 * Only the login page and the storage are ours; every protocol step
 * (authorization, PKCE, client authentication, tokens, userinfo) is the
 * library's.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import Provider, {
  type Account,
  type Adapter,
  type AdapterPayload,
  type Grant,
  type KoaContextWithOIDC,
} from 'oidc-provider';

/** A user who can log in at the provider's login page. */
export interface TestAccount {
  /** The `sub` claim. */
  id: string;
  /** What the user types into the `login` field. */
  login: string;
  password: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  groups?: string[];
}

/**
 * A confidential client. It may authenticate with `client_secret_basic` or
 * `client_secret_post` whatever `token_endpoint_auth_method` says: oidc-provider
 * treats the two as interchangeable.
 */
export interface ClientMetadata {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post';
  [key: string]: unknown;
}

export interface StartOidcProviderOptions {
  accounts: TestAccount[];
  /** Clients known from the start; more can be added with `addClient`. */
  clients?: ClientMetadata[];
  /** Token-endpoint client authentication the provider accepts and advertises (default: Basic and POST). */
  clientAuthMethods?: Array<'client_secret_basic' | 'client_secret_post'>;
}

export interface RunningOidcProvider {
  /** `http://127.0.0.1:PORT`, the `iss` of every token. */
  issuer: string;
  /** `${issuer}/.well-known/openid-configuration` */
  discoveryEndpoint: string;
  /** Base URL of the server (equal to `issuer`). */
  url: string;
  /**
   * Registers (or replaces) a client. Takes effect for the next request, so a
   * test can register the broker's redirect URI once it knows the connection ID.
   * Throws if oidc-provider rejects the metadata.
   */
  addClient(meta: ClientMetadata): void;
  /** How each token request so far authenticated: HTTP Basic, or credentials in the body. */
  readonly tokenRequestAuth: ReadonlyArray<'basic' | 'post'>;
  close(): Promise<void>;
}

/** The claims each scope releases; `conformIdTokenClaims: false` puts them in the ID token too. */
const CLAIMS_BY_SCOPE = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['given_name', 'family_name'],
  groups: ['groups'],
};

/**
 * Starts an OpenID provider on 127.0.0.1 at a random port (plain HTTP).
 *
 * Login, headless: follow the authorization redirect to `/interaction/{uid}`
 * (an HTML form), POST `login` and `password` to the same URL with the cookies
 * you were given, then follow the redirects to the client's `redirect_uri`.
 * A wrong password answers 200 with the form again and an error message.
 *
 * Offers the authorization code flow only, PKCE (S256) required, `RS256` ID
 * tokens, scopes `openid email profile groups`, and the accounts' claims both
 * in the ID token and at userinfo.
 */
export async function startOidcProvider(options: StartOidcProviderOptions): Promise<RunningOidcProvider> {
  const accountsById = new Map(options.accounts.map((a) => [a.id, a]));
  const accountsByLogin = new Map(options.accounts.map((a) => [a.login, a]));
  const storage = new MemoryStorage();

  // The issuer must contain the port, so listen first and install the handler after.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    adapter: (model) => storage.adapterFor(model),
    jwks: { keys: [await signingKey()] },
    // No cookie keys, so cookies are unsigned: they carry only random IDs of
    // server-side state, and verifying signatures (Keygrip + tsscmp HMACs)
    // was a tenth of the provider's CPU time per login.
    claims: CLAIMS_BY_SCOPE,
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: options.clientAuthMethods ?? ['client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Short lives keep memory flat under the benchmark's load.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    findAccount: async (_ctx, sub) => {
      const account = accountsById.get(sub);
      return account ? toOidcAccount(account) : undefined;
    },
    loadExistingGrant: grantWhatIsRequested,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Error', `<h1>Error</h1><pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre>`);
    },
  });

  const addClient = (meta: ClientMetadata): void => {
    const metadata = { ...meta };
    // Validate now: a bad client should fail the test's setup, not its login.
    new provider.Client(metadata);
    storage.setClient(meta.client_id, metadata);
  };
  for (const client of options.clients ?? []) addClient(client);

  const providerCallback = provider.callback();
  const tokenRequestAuth: Array<'basic' | 'post'> = [];
  handler = (req, res) => {
    if (req.method === 'POST' && req.url === '/token') tokenRequestAuth.push(req.headers.authorization?.startsWith('Basic ') ? 'basic' : 'post');
    if (req.url?.startsWith('/interaction/')) {
      handleInteraction(req, res).catch((err: unknown) => {
        // An expired or foreign interaction is the user's problem, not a crash.
        if (!res.headersSent) {
          res.statusCode = 400;
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.end(page('Error', `<h1>Login failed</h1><p>${escapeHtml(String(err))}</p>`));
        } else {
          res.destroy();
        }
      });
      return;
    }
    providerCallback(req, res);
  };

  async function handleInteraction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const interaction = await provider.interactionDetails(req, res);
    const action = `/interaction/${interaction.uid}`;

    if (interaction.prompt.name !== 'login') {
      // Consent (say, after prompt=consent): loadExistingGrant already granted
      // what was asked, so acknowledge it without a page.
      await provider.interactionFinished(req, res, { consent: {} }, { mergeWithLastSubmission: true });
      return;
    }

    if (req.method === 'GET') {
      sendHtml(res, 200, loginPage(action, typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : ''));
      return;
    }
    if (req.method !== 'POST') {
      res.statusCode = 405;
      res.setHeader('allow', 'GET, POST');
      res.end();
      return;
    }

    const form = new URLSearchParams(await readBody(req));
    const login = form.get('login') ?? '';
    const account = accountsByLogin.get(login);
    if (!account || account.password !== form.get('password')) {
      sendHtml(res, 200, loginPage(action, login, 'Invalid login or password.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
  }

  return {
    issuer,
    discoveryEndpoint: `${issuer}/.well-known/openid-configuration`,
    url: issuer,
    addClient,
    tokenRequestAuth,
    async close() {
      storage.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/**
 * Consent is automatic: the grant for this client and account covers exactly
 * what the request asks for, so oidc-provider never prompts for consent and a
 * login takes one form submission.
 */
async function grantWhatIsRequested(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const accountId = oidc.account?.accountId;
  if (!accountId) return undefined;
  const clientId = oidc.client.clientId;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(clientId);
  const grant =
    (grantId ? await oidc.provider.Grant.find(grantId) : undefined) ??
    new oidc.provider.Grant({ accountId, clientId });
  grant.addOIDCScope(oidc.requestParamOIDCScopes);
  grant.addOIDCClaims(oidc.requestParamClaims);
  await grant.save();
  return grant;
}

function toOidcAccount(account: TestAccount): Account {
  const claims: Record<string, unknown> = { sub: account.id };
  for (const name of ['email', 'email_verified', 'given_name', 'family_name', 'groups'] as const) {
    if (account[name] !== undefined) claims[name] = account[name];
  }
  // oidc-provider filters these by the granted scopes and claims.
  return { accountId: account.id, claims: () => claims };
}

// One signing key per process: RSA key generation costs tens of
// milliseconds, too much to repeat for every provider a test starts.
let signingKeyPromise: Promise<Record<string, unknown>> | undefined;

function signingKey(): Promise<Record<string, unknown>> {
  signingKeyPromise ??= promisify(generateKeyPair)('rsa', { modulusLength: 2048 }).then(({ privateKey }) => ({
    ...privateKey.export({ format: 'jwk' }),
    kid: `test-op-${randomBytes(6).toString('base64url')}`,
    alg: 'RS256',
    use: 'sig',
  }));
  return signingKeyPromise;
}

/**
 * In-memory storage for every oidc-provider model, with expiry. Unlike the
 * library's own memory adapter (an LRU capped at 1,000 entries shared by all
 * providers in the process), it never evicts a live interaction under load,
 * and each provider has its own. Clients live here too, which is how
 * `addClient` can register one after start.
 */
class MemoryStorage {
  readonly #entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  /** grantId → keys of the tokens issued under it, for revokeByGrantId. */
  readonly #byGrant = new Map<string, Set<string>>();
  readonly #sweeper = setInterval(() => this.#sweep(), 30_000).unref();

  setClient(clientId: string, metadata: AdapterPayload): void {
    this.#entries.set(`Client:${clientId}`, { payload: metadata, expiresAt: Infinity });
  }

  stop(): void {
    clearInterval(this.#sweeper);
    this.#entries.clear();
    this.#byGrant.clear();
  }

  adapterFor(model: string): Adapter {
    const key = (id: string) => `${model}:${id}`;
    const find = async (id: string) => this.#get(key(id));
    return {
      find,
      findByUid: async (uid) => {
        const id = this.#get(`SessionUid:${uid}`)?.id;
        return typeof id === 'string' ? find(id) : undefined;
      },
      findByUserCode: async (userCode) => {
        const id = this.#get(`UserCode:${userCode}`)?.id;
        return typeof id === 'string' ? find(id) : undefined;
      },
      upsert: async (id, payload, expiresIn) => {
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
        this.#entries.set(key(id), { payload, expiresAt });
        if (model === 'Session' && payload.uid) this.#entries.set(`SessionUid:${payload.uid}`, { payload: { id }, expiresAt });
        if (payload.userCode) this.#entries.set(`UserCode:${payload.userCode}`, { payload: { id }, expiresAt });
        if (payload.grantId) {
          const members = this.#byGrant.get(payload.grantId) ?? new Set<string>();
          members.add(key(id));
          this.#byGrant.set(payload.grantId, members);
        }
      },
      consume: async (id) => {
        const entry = this.#get(key(id));
        if (entry) entry.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        this.#entries.delete(key(id));
      },
      revokeByGrantId: async (grantId) => {
        for (const member of this.#byGrant.get(grantId) ?? []) this.#entries.delete(member);
        this.#byGrant.delete(grantId);
      },
    };
  }

  #get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    for (const [grantId, members] of this.#byGrant) {
      for (const member of members) if (!this.#entries.has(member)) members.delete(member);
      if (members.size === 0) this.#byGrant.delete(grantId);
    }
  }
}

function loginPage(action: string, login: string, error?: string): string {
  return page(
    'Sign in',
    `<h1>Sign in</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" accept-charset="utf-8">
  <label>Login <input name="login" value="${escapeHtml(login)}" autocomplete="username" required autofocus></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>${body}</body></html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(html);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
