/**
 * A deliberately misbehaving OpenID provider, for proving that the broker
 * refuses bad upstream answers. Without a fault it is a correct, minimal
 * provider (code flow, PKCE, nonce, single-use codes, client authentication);
 * each fault breaks exactly one thing a relying party must check.
 *
 * This is the one place a hand-written IdP is allowed: the misbehaviour is the
 * point, and a real provider cannot be made to misbehave on demand.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** One way the provider misbehaves; `null` (in `setFault`) means none. */
export type Fault =
  /** ID token signed by a key not in the JWKS, under the published key's `kid`. */
  | 'bad_signature'
  /** Unsecured ID token: `alg: none`, empty signature. */
  | 'alg_none'
  /** ID token `iss` is another issuer. */
  | 'wrong_issuer'
  /** ID token `aud` is another client. */
  | 'wrong_audience'
  /** ID token expired an hour ago. */
  | 'expired'
  /** ID token without `sub`. */
  | 'missing_sub'
  /** ID token without `iat`. */
  | 'missing_iat'
  /** ID token `nonce` differs from the one sent to /authorize. */
  | 'wrong_nonce'
  /** Userinfo answers for another `sub` than the ID token's. */
  | 'userinfo_sub_mismatch'
  /** Token endpoint answers 400 `invalid_grant`. */
  | 'token_error'
  /** Token endpoint answers only after `slowTokenDelayMs`. */
  | 'slow_token'
  /**
   * ID token signed with a key whose `kid` is not in the JWKS, however often
   * the client refetches it. (For a legitimate rotation, use `rotateKey()`.)
   */
  | 'unknown_kid';

/** Every fault, for tests that loop over them. */
export const FAULTS: readonly Fault[] = [
  'bad_signature',
  'alg_none',
  'wrong_issuer',
  'wrong_audience',
  'expired',
  'missing_sub',
  'missing_iat',
  'wrong_nonce',
  'userinfo_sub_mismatch',
  'token_error',
  'slow_token',
  'unknown_kid',
];

/** The logged-in user: these claims go into the ID token and userinfo as they are. */
export interface HostileIdpUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  groups?: string[];
  [claim: string]: unknown;
}

export interface StartHostileIdpOptions {
  /** Default `hostile-client`. */
  clientId?: string;
  /** Default `hostile-secret`. */
  clientSecret?: string;
  /**
   * Redirect URIs the client may use. Default: any, because the broker's
   * redirect URI contains a connection ID the test learns only later; the
   * token request must still repeat the one given to /authorize.
   */
  redirectUris?: string[];
  /** How long the token endpoint stalls under `slow_token`. Default 5,000 ms. */
  slowTokenDelayMs?: number;
  /** Answer an /authorize without `scope` as if it asked for `openid`, as Clever does. */
  cleverStyleScope?: boolean;
  /** The user every /authorize logs in. Default: Eve Hostile, in group `hostile-admins`. */
  user?: HostileIdpUser;
}

export interface RunningHostileIdp {
  /** `http://127.0.0.1:PORT` */
  issuer: string;
  /** `${issuer}/.well-known/openid-configuration` */
  discoveryEndpoint: string;
  /** Base URL of the server (equal to `issuer`). */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Misbehave from the next request on; `null` behaves correctly again. */
  setFault(fault: Fault | null): void;
  /**
   * Replaces the user (claims of the ID token and userinfo) for the next logins.
   * `userinfoOnly`: claims only /userinfo answers (an IdP that keeps some out of
   * the ID token); `dataApiMe`: the `data` Clever's Data API `/v3.0/me` answers
   * (404 when absent).
   */
  setUser(user: HostileIdpUser, extra?: { userinfoOnly?: Record<string, unknown>; dataApiMe?: Record<string, unknown> }): void;
  /**
   * Legitimate key rotation: adds a new key to the JWKS and signs every later
   * token with it, so a client that cached the old JWKS meets an unknown `kid`
   * and must refetch the JWKS to succeed.
   */
  rotateKey(): Promise<void>;
  /** How often each endpoint was called, e.g. to assert a single JWKS refresh. */
  readonly requests: Readonly<Record<'discovery' | 'jwks' | 'authorize' | 'token' | 'userinfo' | 'dataApi', number>>;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

interface IssuedCode {
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
  scope: string;
  user: HostileIdpUser;
  expiresAt: number;
}

const CODE_TTL_MS = 60_000;
const TOKEN_TTL_S = 3600;

/**
 * Starts a hostile IdP on 127.0.0.1 at a random port (plain HTTP).
 *
 * Login, headless: GET the authorization URL; /authorize logs the user in
 * without a page and answers 302 to `redirect_uri?code=…&state=…`. Nothing to
 * submit.
 */
export async function startHostileIdp(options: StartHostileIdpOptions = {}): Promise<RunningHostileIdp> {
  const clientId = options.clientId ?? 'hostile-client';
  const clientSecret = options.clientSecret ?? 'hostile-secret';
  const slowTokenDelayMs = options.slowTokenDelayMs ?? 5_000;
  let user: HostileIdpUser = options.user ?? {
    sub: 'hostile-user-1',
    email: 'eve@hostile.test',
    email_verified: true,
    given_name: 'Eve',
    family_name: 'Hostile',
    groups: ['hostile-admins'],
  };
  let fault: Fault | null = null;

  const [primary, rogue] = await sharedKeyMaterial();
  let current = await withKid(primary, newKid());
  /** The JWKS as published: rotation adds to it, never removes. */
  const published: SigningKey[] = [current];

  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, { user: HostileIdpUser; expiresAt: number }>();
  const stalled = new Set<NodeJS.Timeout>();
  const requests = { discovery: 0, jwks: 0, authorize: 0, token: 0, userinfo: 0, dataApi: 0 };
  let userinfoOnly: Record<string, unknown> = {};
  let dataApiMe: Record<string, unknown> | undefined;

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        requests.discovery++;
        return sendJson(res, 200, discoveryDocument());
      case '/jwks':
        requests.jwks++;
        return sendJson(res, 200, { keys: published.map((k) => k.publicJwk) });
      case '/authorize':
        requests.authorize++;
        return authorize(url, res);
      case '/token':
        requests.token++;
        return token(req, res);
      case '/userinfo':
        requests.userinfo++;
        return userinfo(req, res);
      case '/v3.0/me':
        requests.dataApi++;
        return dataApi(req, res);
      default:
        return sendJson(res, 404, { error: 'not_found' });
    }
  }

  function discoveryDocument() {
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile', 'groups'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'email', 'email_verified', 'given_name', 'family_name', 'groups'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
    };
  }

  /** Logs the fixed user in at once and sends the code back. */
  function authorize(url: URL, res: ServerResponse): void {
    const params = url.searchParams;
    const redirectUri = params.get('redirect_uri');
    // Errors about the client or redirect URI must not be redirected (RFC 6749 §4.1.2.1).
    if (params.get('client_id') !== clientId) return sendText(res, 400, 'unknown client_id');
    if (!redirectUri || !URL.canParse(redirectUri)) return sendText(res, 400, 'missing or invalid redirect_uri');
    if (options.redirectUris && !options.redirectUris.includes(redirectUri)) {
      return sendText(res, 400, 'redirect_uri is not registered');
    }

    const back = new URL(redirectUri);
    const state = params.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const fail = (error: string, description: string) => {
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      redirect(res, back);
    };
    if (params.get('response_type') !== 'code') return fail('unsupported_response_type', 'only response_type=code');
    // Clever takes no scope on /oauth/authorize (the app's scopes are set at Clever): playing Clever, so does this IdP.
    const scope = params.get('scope') ?? (options.cleverStyleScope ? 'openid' : '');
    if (!scope.split(' ').includes('openid')) return fail('invalid_scope', 'scope must include openid');
    const codeChallenge = params.get('code_challenge') ?? undefined;
    if (codeChallenge !== undefined && params.get('code_challenge_method') !== 'S256') {
      return fail('invalid_request', 'only code_challenge_method=S256');
    }

    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      redirectUri,
      nonce: params.get('nonce') ?? undefined,
      codeChallenge,
      scope,
      user,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    back.searchParams.set('code', code);
    redirect(res, back);
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request', error_description: 'POST only' });
    const body = new URLSearchParams(await readBody(req));

    const auth = clientCredentials(req, body);
    if ('error' in auth) return sendJson(res, 400, auth);
    if (auth.clientId !== clientId || !safeEqual(auth.clientSecret, clientSecret)) {
      // RFC 6749 §5.2: a challenge only for clients that tried HTTP Basic.
      if (req.headers.authorization) res.setHeader('www-authenticate', 'Basic realm="hostile-idp"');
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
    }

    if (fault === 'token_error') {
      return sendJson(res, 400, { error: 'invalid_grant', error_description: 'the hostile IdP refuses this code' });
    }
    if (body.get('grant_type') !== 'authorization_code') {
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'only authorization_code' });
    }

    // Single use: the code is gone whether or not the rest checks out.
    const codeValue = body.get('code') ?? '';
    const code = codes.get(codeValue);
    codes.delete(codeValue);
    const invalidGrant = (description: string) => sendJson(res, 400, { error: 'invalid_grant', error_description: description });
    if (!code || code.expiresAt < Date.now()) return invalidGrant('code is invalid, expired or already used');
    if (body.get('redirect_uri') !== code.redirectUri) return invalidGrant('redirect_uri does not match the authorization request');
    const verifier = body.get('code_verifier');
    if (code.codeChallenge !== undefined) {
      if (!verifier) return invalidGrant('code_verifier is required');
      if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) {
        return invalidGrant('code_verifier does not match the code_challenge');
      }
    } else if (verifier) {
      return invalidGrant('code_verifier given but no code_challenge was');
    }

    const accessToken = randomBytes(24).toString('base64url');
    accessTokens.set(accessToken, { user: code.user, expiresAt: Date.now() + TOKEN_TTL_S * 1000 });
    const answer = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_S,
      scope: code.scope,
      id_token: await idToken(code),
    };

    if (fault === 'slow_token') {
      // Answer late rather than never: a client without a timeout still finishes.
      const timer = setTimeout(() => {
        stalled.delete(timer);
        if (!res.destroyed) sendJson(res, 200, answer);
      }, slowTokenDelayMs);
      stalled.add(timer);
      return;
    }
    sendJson(res, 200, answer);
  }

  /** The ID token for a code, broken as the current fault says. */
  async function idToken(code: IssuedCode): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload & Record<string, unknown> = {
      ...code.user,
      iss: issuer,
      aud: clientId,
      iat: now,
      exp: now + 600,
      ...(code.nonce !== undefined ? { nonce: code.nonce } : {}),
    };
    let key = current;
    switch (fault) {
      case 'alg_none':
        return new UnsecuredJWT(claims).encode();
      case 'bad_signature':
        key = { ...current, privateKey: rogue.privateKey };
        break;
      case 'unknown_kid':
        key = { ...current, kid: newKid(), privateKey: rogue.privateKey };
        break;
      case 'wrong_issuer':
        claims.iss = 'https://attacker.example';
        break;
      case 'wrong_audience':
        claims.aud = 'some-other-client';
        break;
      case 'expired':
        // Well past any clock tolerance a client allows.
        claims.iat = now - 7200;
        claims.exp = now - 3600;
        break;
      case 'missing_sub':
        delete claims.sub;
        break;
      case 'missing_iat':
        delete claims.iat;
        break;
      case 'wrong_nonce':
        claims.nonce = randomBytes(16).toString('base64url');
        break;
      default:
        break;
    }
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  }

  /** The access token's grant, or undefined after answering 401. */
  function bearer(req: IncomingMessage, res: ServerResponse) {
    const [scheme, value] = (req.headers.authorization ?? '').split(' ');
    const token = scheme?.toLowerCase() === 'bearer' && value ? accessTokens.get(value) : undefined;
    if (!token || token.expiresAt < Date.now()) {
      res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      sendJson(res, 401, { error: 'invalid_token', error_description: 'unknown or expired access token' });
      return undefined;
    }
    return token;
  }

  function userinfo(req: IncomingMessage, res: ServerResponse): void {
    const token = bearer(req, res);
    if (!token) return;
    const claims = { ...userinfoOnly, ...token.user };
    sendJson(res, 200, fault === 'userinfo_sub_mismatch' ? { ...claims, sub: `${token.user.sub}-impostor` } : claims);
  }

  function dataApi(req: IncomingMessage, res: ServerResponse): void {
    if (!bearer(req, res)) return;
    if (!dataApiMe) return sendJson(res, 404, { error: 'not_found' });
    sendJson(res, 200, { data: dataApiMe });
  }

  return {
    issuer,
    discoveryEndpoint: `${issuer}/.well-known/openid-configuration`,
    url: issuer,
    clientId,
    clientSecret,
    setFault(next) {
      fault = next;
    },
    setUser(next, extra = {}) {
      user = next;
      userinfoOnly = extra.userinfoOnly ?? {};
      dataApiMe = extra.dataApiMe;
    },
    async rotateKey() {
      const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
      current = await withKid({ publicKey, privateKey }, newKid());
      published.push(current);
    },
    requests,
    async close() {
      for (const timer of stalled) clearTimeout(timer);
      stalled.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

type KeyPair = { publicKey: CryptoKey; privateKey: CryptoKey };

// RSA key generation costs tens of milliseconds; one primary and one rogue key
// pair serve every hostile IdP in the process (each gives them its own kids).
let keyMaterial: Promise<[KeyPair, KeyPair]> | undefined;
function sharedKeyMaterial(): Promise<[KeyPair, KeyPair]> {
  keyMaterial ??= Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('RS256', { extractable: true }),
  ]);
  return keyMaterial;
}

async function withKid(pair: KeyPair, kid: string): Promise<SigningKey> {
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey: pair.privateKey, publicJwk };
}

function newKid(): string {
  return `hostile-${randomUUID()}`;
}

/**
 * Client credentials from HTTP Basic (RFC 6749 §2.3.1: form-encoded id and
 * secret) or from the body; using both at once is an error.
 */
function clientCredentials(
  req: IncomingMessage,
  body: URLSearchParams,
): { clientId: string; clientSecret: string } | { error: string; error_description: string } {
  const header = req.headers.authorization;
  const inBody = body.has('client_secret');
  if (header && inBody) return { error: 'invalid_request', error_description: 'client authentication must use one method' };
  if (header) {
    const [scheme, encoded = ''] = header.split(' ');
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (scheme?.toLowerCase() !== 'basic' || colon === -1) {
      return { error: 'invalid_request', error_description: 'malformed Authorization header' };
    }
    try {
      const formDecode = (s: string) => decodeURIComponent(s.replaceAll('+', ' '));
      return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
    } catch {
      return { error: 'invalid_request', error_description: 'malformed client credentials' };
    }
  }
  return { clientId: body.get('client_id') ?? '', clientSecret: body.get('client_secret') ?? '' };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function redirect(res: ServerResponse, location: URL): void {
  res.statusCode = 302;
  res.setHeader('location', location.href);
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
