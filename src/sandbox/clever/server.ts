/**
 * Assembles one sandbox: its Fastify app (not listening), keys and
 * in-memory state. Two sandboxes in one process share nothing.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { SandboxContext } from './context.ts';
import { Directory } from './directory.ts';
import { handleFrameworkError, installErrorHandling } from './error-handling.ts';
import { installDataApiRateLimit } from './flow/data-api-rate-limit.ts';
import { authorizeRoute } from './routes/authorize.ts';
import { certsRoute } from './routes/certs.ts';
import { dataApiRoutes } from './routes/data-api.ts';
import { discoveryRoute } from './routes/discovery.ts';
import { districtLoginRoute } from './routes/district-login.ts';
import { homeRoute } from './routes/home.ts';
import { idpLoginRoute } from './routes/idp-login.ts';
import { instantLoginRoute } from './routes/instant-login.ts';
import { logoutRoute } from './routes/logout.ts';
import { portalRoutes } from './routes/portal.ts';
import { schoolPickerRoute } from './routes/school-picker.ts';
import { selectRoleRoute } from './routes/select-role.ts';
import { signInRoute } from './routes/sign-in.ts';
import { tokensRoute } from './routes/tokens.ts';
import { userinfoRoute } from './routes/userinfo.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { redirectUriProblems, type SandboxSeed } from './seed/seed-schema.ts';
import {
  connectionsCheckingIntervalMs,
  defaultClaimShape,
  resolveSettings,
  type ClaimRewrites,
  type ClaimShape,
  type SandboxSettingsInput,
} from './settings.ts';
import { SigningKeys } from './signing-keys.ts';
import { BrowserSessions } from './state/browser-sessions.ts';
import { Grants } from './state/grants.ts';
import { LoginRequests } from './state/login-requests.ts';

export interface BuildCleverSandboxOptions {
  seed: SandboxSeed;
  /** The URL browsers and apps reach the sandbox at; it is the issuer. */
  publicUrl: string;
  /** A pino logger for request and error logs; none by default. */
  logger?: Logger | false;
  /** Milliseconds since the epoch; tests inject a clock to age codes, tokens, sessions and rate-limit windows. */
  now?: () => number;
  /** The ID-token and `/userinfo` shape; default: the seed's `claims`, else `current`. */
  claims?: ClaimShape;
  /** Rate limit, memory bounds and server timeouts; any subset, the rest default (settings.ts). */
  settings?: SandboxSettingsInput;
  /** For tests of clients: rewrites ID-token or `/userinfo` claims (e.g. no district at all). Not Clever behaviour. */
  rewriteClaims?: ClaimRewrites;
}

export interface CleverSandbox {
  /** The sandbox's Fastify app; `inject()` works on it, and `startCleverSandbox` makes it listen. */
  app: FastifyInstance;
  /** The `iss` of ID tokens and the discovery document: the public URL without a trailing slash. */
  readonly issuer: string;
  /** The shape of its ID tokens and `/userinfo` answers. */
  readonly claims: ClaimShape;
  /** Starts signing with a new RSA key (new `kid`); the JWKS keeps serving the old key too. */
  rotateSigningKey(): Promise<void>;
  /**
   * Replaces an app's redirect URIs (primary first), as a developer edits
   * them in Clever's dashboard: for a broker whose Redirect URI is known only
   * once its connection exists. Throws on an unknown client ID or a URI the
   * seed would refuse.
   */
  setRedirectUris(clientId: string, redirectUris: string[]): void;
  /** How much it holds in memory: pending logins and browser sessions (both bounded by its settings). */
  stats(): { pendingLogins: number; browserSessions: number };
}

function setRedirectUris(directory: Directory, clientId: string, redirectUris: string[]): void {
  const app = directory.app(clientId);
  if (!app) throw new Error(`no app has the client_id ${clientId}`);
  if (!redirectUris.length) throw new Error('an app needs at least one redirect URI');
  for (const uri of redirectUris) {
    if (!URL.canParse(uri)) throw new Error(`${uri} is not a URL`);
    const [problem] = redirectUriProblems(uri, app.production);
    if (problem) throw new Error(`${uri}: ${problem}`);
  }
  app.redirect_uris = [...redirectUris];
}

/** Same-sized bodies everywhere: login forms and token requests are a few hundred bytes. */
const bodyLimit = 16 * 1024;

export function normalizePublicUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`public URL must be http or https: ${publicUrl}`);
  if (url.search || url.hash) throw new Error(`public URL must not have a query or fragment: ${publicUrl}`);
  return url.href.replace(/\/+$/, '');
}

/** Builds the sandbox and also returns its context, so `startCleverSandbox` can fix the issuer once the port is known. */
export async function assembleCleverSandbox(
  options: BuildCleverSandboxOptions,
): Promise<{ sandbox: CleverSandbox; ctx: SandboxContext }> {
  const now = options.now ?? Date.now;
  const settings = resolveSettings(options.settings);
  const issuer = normalizePublicUrl(options.publicUrl);
  const keys = await SigningKeys.create();

  const { timeouts } = settings;
  const common = {
    bodyLimit,
    frameworkErrors: handleFrameworkError,
    // A socket that sends nothing, half its headers or part of a body is closed (docs/sandbox.md, "Limits").
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.idleMs,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: connectionsCheckingIntervalMs(timeouts) },
  };
  const app = (
    options.logger ? Fastify({ ...common, loggerInstance: options.logger }) : Fastify({ ...common, logger: false })
  ) as FastifyInstance;
  installErrorHandling(app);
  installSecurityHeaders(app);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit });

  const ctx: SandboxContext = {
    issuer,
    claims: options.claims ?? options.seed.claims ?? defaultClaimShape,
    rewriteClaims: options.rewriteClaims ?? {},
    settings,
    // Its own copy: setRedirectUris changes it, never the caller's seed (defaultSeed is shared).
    directory: new Directory(structuredClone(options.seed)),
    keys,
    sessions: new BrowserSessions(now, settings.maxBrowserSessions),
    loginRequests: new LoginRequests(now, settings.maxPendingLogins),
    grants: new Grants(now),
    rateLimit: await installDataApiRateLimit(app, settings.rateLimit, now),
    now,
    secureCookies: issuer.startsWith('https:'),
  };

  homeRoute(app, ctx);
  discoveryRoute(app, ctx);
  certsRoute(app, ctx);
  authorizeRoute(app, ctx);
  instantLoginRoute(app, ctx);
  schoolPickerRoute(app, ctx);
  districtLoginRoute(app, ctx);
  idpLoginRoute(app, ctx);
  signInRoute(app, ctx);
  selectRoleRoute(app, ctx);
  portalRoutes(app, ctx);
  logoutRoute(app, ctx);
  await tokensRoute(app, ctx);
  userinfoRoute(app, ctx);
  dataApiRoutes(app, ctx);

  const sandbox: CleverSandbox = {
    app,
    get issuer() {
      return ctx.issuer;
    },
    claims: ctx.claims,
    rotateSigningKey: () => keys.rotate(),
    setRedirectUris: (clientId, redirectUris) => setRedirectUris(ctx.directory, clientId, redirectUris),
    stats: () => ({ pendingLogins: ctx.loginRequests.size, browserSessions: ctx.sessions.size }),
  };
  return { sandbox, ctx };
}

/** Builds a sandbox app without listening (see `startCleverSandbox` for one that listens). */
export async function buildCleverSandbox(options: BuildCleverSandboxOptions): Promise<CleverSandbox> {
  return (await assembleCleverSandbox(options)).sandbox;
}
