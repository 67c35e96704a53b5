/**
 * Hallpass as an OpenID Connect relying party: one openid-client
 * Configuration per connection, cached, and the calls made with it.
 *
 * Discovery documents are cached for ten minutes; openid-client keeps each
 * provider's JWKS for five. A token signed with a key the cached JWKS lacks
 * (the IdP rotated its keys) gets exactly one fresh JWKS: the token response
 * is replayed into a new Configuration instead of redeeming the code twice.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as oidc from 'openid-client';
import { HallpassError } from '../errors.ts';
import { timeUpstream } from '../metrics.ts';
import type { Connection } from '../store/types.ts';
import type { SecretBox } from '../secrets.ts';
import { createUpstreamFetch } from './upstream-http.ts';
import { translateUpstreamError } from './upstream-error.ts';

const DISCOVERY_TTL_MS = 10 * 60 * 1000;

export interface UpstreamClientOptions {
  secrets: SecretBox;
  timeoutMs: number;
  /** Plain-http providers (sandbox, local test IdPs) are allowed outside production only. */
  allowInsecure: boolean;
  now: () => number;
}

/**
 * How Hallpass authenticates at the token endpoint: always HTTP Basic
 * (Clever accepts nothing else), or as the IdP's discovery document
 * advertises — Basic, the OpenID default, unless the IdP lists only
 * `client_secret_post`.
 */
export type ClientAuthMethod = 'client_secret_basic' | 'as_advertised';

export interface CodeExchangeChecks {
  expectedState: string;
  /** When set, an ID token with this nonce is required. */
  expectedNonce?: string;
  pkceCodeVerifier: string;
}

export interface CodeExchangeResult {
  accessToken: string;
  /** Validated ID-token claims, or undefined when the IdP sent no ID token (Clever apps without OIDC). */
  claims: Record<string, unknown> | undefined;
}

interface CachedConfiguration {
  config: oidc.Configuration;
  key: string;
  expiresAt: number;
}

const shared = new WeakMap<object, UpstreamClients>();

/**
 * The one set of upstream clients of a running broker (keyed by its context),
 * so the login routes, the dashboard's Test SSO and setup links share one
 * discovery and JWKS cache.
 */
export function upstreamClientsFor(ctx: { secrets: SecretBox; config: { upstreamTimeoutMs: number; env: string }; now: () => number }): UpstreamClients {
  let clients = shared.get(ctx);
  if (!clients) {
    clients = new UpstreamClients({
      secrets: ctx.secrets,
      timeoutMs: ctx.config.upstreamTimeoutMs,
      allowInsecure: ctx.config.env !== 'production',
      now: ctx.now,
    });
    shared.set(ctx, clients);
  }
  return clients;
}

export class UpstreamClients {
  readonly #options: UpstreamClientOptions;
  readonly #cache = new Map<string, CachedConfiguration>();
  readonly #pending = new Map<string, Promise<oidc.Configuration>>();
  /** Every call to an IdP: node:http with keep-alive, a timeout and a size cap. */
  readonly #request: oidc.CustomFetch;
  /** The same, recording or replaying token responses (what openid-client is given). */
  readonly #fetch: oidc.CustomFetch;

  constructor(options: UpstreamClientOptions) {
    this.#options = options;
    this.#request = createUpstreamFetch(options.timeoutMs);
    this.#fetch = tokenAware(this.#request);
  }

  /** The openid-client Configuration for a connection, discovered once and cached. */
  async configuration(conn: Connection, auth: ClientAuthMethod): Promise<oidc.Configuration> {
    const key = `${conn.id}:${conn.updatedAt.getTime()}:${auth}`;
    const cached = this.#cache.get(conn.id);
    if (cached && cached.key === key && cached.expiresAt > this.#options.now()) return cached.config;
    const inFlight = this.#pending.get(key);
    if (inFlight) return inFlight;
    const promise = this.#discover(conn, auth)
      .then((config) => {
        this.#cache.set(conn.id, { config, key, expiresAt: this.#options.now() + DISCOVERY_TTL_MS });
        return config;
      })
      .finally(() => this.#pending.delete(key));
    this.#pending.set(key, promise);
    return promise;
  }

  async #discover(conn: Connection, auth: ClientAuthMethod): Promise<oidc.Configuration> {
    if (!conn.discoveryEndpoint || !conn.clientId || !conn.clientSecretEncrypted) {
      throw new HallpassError('connection_invalid', `Connection ${conn.id} is missing its client ID, client secret or discovery endpoint.`);
    }
    const secret = this.#options.secrets.open(conn.clientSecretEncrypted);
    const clientAuth = auth === 'client_secret_basic' ? oidc.ClientSecretBasic(secret) : asAdvertised(secret);
    try {
      const config = await timeUpstream('discovery', () => oidc.discovery(new URL(conn.discoveryEndpoint!), conn.clientId!, undefined, clientAuth, this.#requestOptions(this.#fetch)));
      // openid-client counts timeouts in whole seconds with an AbortSignal per call; the
      // upstream fetch already enforces HALLPASS_UPSTREAM_TIMEOUT_MS to the millisecond.
      config.timeout = 0;
      return config;
    } catch (err) {
      throw translateUpstreamError(err, 'discovery', this.#options.timeoutMs);
    }
  }

  #requestOptions(fetchImpl: oidc.CustomFetch): oidc.DiscoveryRequestOptions {
    return {
      timeout: Math.ceil(this.#options.timeoutMs / 1000),
      // openid-client trusts an ID token straight from the token endpoint without checking its
      // signature unless asked; Hallpass always checks it against the IdP's JWKS.
      execute: this.#options.allowInsecure ? [oidc.enableNonRepudiationChecks, oidc.allowInsecureRequests] : [oidc.enableNonRepudiationChecks],
      [oidc.customFetch]: fetchImpl,
    };
  }

  /**
   * Redeems an authorization code at the IdP's token endpoint and validates
   * the answer: state, ID-token signature, iss, aud, exp, iat, nonce, PKCE.
   * `callbackUrl` is the public URL the IdP redirected to, query included.
   *
   * `idToken: 'optional'` is for Clever, whose apps send an ID token only when
   * Clever has configured them for OIDC: a response without one is accepted
   * (the profile then comes from the Data API), one with an ID token is
   * validated in full, nonce included.
   */
  async exchangeCode(conn: Connection, auth: ClientAuthMethod, callbackUrl: URL, checks: CodeExchangeChecks, idToken: 'required' | 'optional'): Promise<CodeExchangeResult> {
    const config = await this.configuration(conn, auth);
    const recorded: { response?: Response } = {};
    const grantChecks: oidc.AuthorizationCodeGrantChecks = {
      expectedState: checks.expectedState,
      pkceCodeVerifier: checks.pkceCodeVerifier,
      ...(checks.expectedNonce !== undefined ? { expectedNonce: checks.expectedNonce } : {}),
    };
    try {
      return readTokens(await timeUpstream('token', () => tokenRecorder.run(recorded, () => oidc.authorizationCodeGrant(config, callbackUrl, grantChecks))));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (recorded.response && code === 'OAUTH_KEY_SELECTION_FAILED') {
        // The IdP signed with a key our cached JWKS lacks: fetch the JWKS once more.
        this.#cache.delete(conn.id);
        return this.#replay(await this.configuration(conn, auth), callbackUrl, grantChecks, recorded.response);
      }
      if (recorded.response && idToken === 'optional' && code === 'OAUTH_INVALID_RESPONSE' && !(await hasIdToken(recorded.response))) {
        return this.#replay(config, callbackUrl, { expectedState: checks.expectedState, pkceCodeVerifier: checks.pkceCodeVerifier }, recorded.response);
      }
      // Only a successful token response gets as far as its ID token; an error answer is the token endpoint's refusal.
      throw translateUpstreamError(err, recorded.response?.ok ? 'id_token' : 'token_exchange', this.#options.timeoutMs);
    }
  }

  /** Validates a token response already received, without redeeming the code again. */
  async #replay(config: oidc.Configuration, callbackUrl: URL, checks: oidc.AuthorizationCodeGrantChecks, response: Response): Promise<CodeExchangeResult> {
    try {
      return readTokens(await tokenReplay.run(response, () => oidc.authorizationCodeGrant(config, callbackUrl, checks)));
    } catch (err) {
      throw translateUpstreamError(err, 'id_token', this.#options.timeoutMs);
    }
  }

  /** Userinfo, whose `sub` must equal the ID token's. */
  async userinfo(conn: Connection, auth: ClientAuthMethod, accessToken: string, expectedSubject: string): Promise<Record<string, unknown>> {
    const config = await this.configuration(conn, auth);
    try {
      return { ...(await timeUpstream('userinfo', () => oidc.fetchUserInfo(config, accessToken, expectedSubject))) };
    } catch (err) {
      throw translateUpstreamError(err, 'userinfo', this.#options.timeoutMs);
    }
  }

  /** GETs a resource with a user's access token (Clever's Data API), through the same client as every other IdP call. */
  async getWithBearer(url: string, accessToken: string): Promise<Response> {
    try {
      return await timeUpstream('data_api', () => this.#request(url, { method: 'GET', headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' }, body: undefined, redirect: 'manual' }));
    } catch (err) {
      throw translateUpstreamError(err, 'data_api', this.#options.timeoutMs);
    }
  }

  /** The IdP's discovery metadata for a connection (see {@link metadataOf}). */
  async metadata(conn: Connection, auth: ClientAuthMethod): Promise<Readonly<oidc.ServerMetadata>> {
    return metadataOf(await this.configuration(conn, auth));
  }
}

/**
 * A configuration's discovery metadata. openid-client's `serverMetadata()`
 * deep-copies it on every call; this copy is made once per configuration.
 */
export function metadataOf(config: oidc.Configuration): Readonly<oidc.ServerMetadata> {
  let metadata = metadataCopies.get(config);
  if (!metadata) {
    metadata = Object.freeze(config.serverMetadata());
    metadataCopies.set(config, metadata);
  }
  return metadata;
}

function asAdvertised(secret: string): oidc.ClientAuth {
  const basic = oidc.ClientSecretBasic(secret);
  const post = oidc.ClientSecretPost(secret);
  return (as, client, body, headers) => {
    const supported = as.token_endpoint_auth_methods_supported;
    const onlyPost = supported !== undefined && !supported.includes('client_secret_basic') && supported.includes('client_secret_post');
    return (onlyPost ? post : basic)(as, client, body, headers);
  };
}

const metadataCopies = new WeakMap<oidc.Configuration, Readonly<oidc.ServerMetadata>>();

/** Set while a code is redeemed: receives a copy of the token endpoint's response. */
const tokenRecorder = new AsyncLocalStorage<{ response?: Response }>();
/** Set while a recorded token response is re-validated: answered instead of calling the IdP. */
const tokenReplay = new AsyncLocalStorage<Response>();

/**
 * Wraps the fetch every Configuration uses. Only token-endpoint POSTs are recorded or
 * replayed (they are the only calls with a grant_type body); everything else
 * goes to the network untouched.
 */
function tokenAware(upstreamFetch: oidc.CustomFetch): oidc.CustomFetch {
  return async (input, init) => {
    const isTokenRequest = init.method === 'POST' && String(init.body ?? '').includes('grant_type=');
    if (isTokenRequest) {
      const replay = tokenReplay.getStore();
      if (replay) return replay.clone();
    }
    const response = await upstreamFetch(input, init);
    const recorder = isTokenRequest ? tokenRecorder.getStore() : undefined;
    if (!recorder) return response;
    // The body is small and already buffered: two Responses over it cost less than clone()'s stream tee.
    const body = await response.arrayBuffer();
    const copy = () => new Response(body.slice(0), { status: response.status, statusText: response.statusText, headers: response.headers });
    recorder.response = copy();
    return copy();
  };
}

async function hasIdToken(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { id_token?: unknown };
    return typeof body.id_token === 'string';
  } catch {
    return false;
  }
}

function readTokens(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): CodeExchangeResult {
  const claims = tokens.claims();
  return { accessToken: tokens.access_token, claims: claims ? { ...claims } : undefined };
}
