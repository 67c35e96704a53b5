/**
 * Step 2 of a login: send the browser to the IdP with a fresh `state`
 * (bound to this browser), `nonce` and PKCE S256 challenge, remembering what
 * to answer the app afterwards.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import type { HallpassContext } from '../context.ts';
import { connectionModule } from '../connections/index.ts';
import { firstCleverApp, redirectUriFor } from '../connections/redirect-uri.ts';
import { metadataOf, type UpstreamClients } from '../connections/upstream-client.ts';
import type { Connection, LoginInitiator } from '../store/types.ts';
import { bindBrowser, LOGIN_LIFETIME_MS } from './browser-binding.ts';

export interface UpstreamLogin {
  /** The connection the login is for; null for Clever logins whose district picks it afterwards. */
  connection: Connection | null;
  /** The connection whose client credentials talk to the IdP (the same one unless `connection` is null). */
  credentials: Connection;
  app: { redirectUri: string; state: string | null; codeChallenge: string | null };
  initiatedBy: LoginInitiator;
  /** Passed on to IdPs that take one (generic OIDC). */
  loginHint?: string | undefined;
  /** The ID to record the attempt under. */
  loginAttemptId: string;
}

/** Returns the IdP authorization URL to redirect the browser to. */
export async function startUpstreamLogin(
  ctx: HallpassContext,
  clients: UpstreamClients,
  request: FastifyRequest,
  reply: FastifyReply,
  login: UpstreamLogin,
): Promise<URL> {
  const type = login.credentials.connectionType;
  const module = connectionModule(type);
  const [config, redirectUri] = await Promise.all([clients.configuration(login.credentials, module.clientAuth), idpRedirectUri(ctx, login.credentials)]);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const { loginAttemptId } = login;
  const secureCookie = ctx.config.publicUrl.startsWith('https://');

  // A login with no connection yet (started at the IdP, or for whichever Clever district the person picks)
  // is recorded once the browser comes back: anyone can start one, and most of a flood never returns.
  const recordAttemptOnReturn = login.connection === null ? login.initiatedBy : null;
  if (recordAttemptOnReturn !== null) ctx.store.loginCounters.increment(`started_without_connection:${login.initiatedBy}`, new Date(ctx.now()));
  await Promise.all([
    ctx.store.authorizationStates.save({
      state,
      connectionId: login.connection?.id ?? null,
      connectionType: type,
      browserBindingHash: bindBrowser(request, reply, secureCookie),
      nonce,
      codeVerifier,
      appRedirectUri: login.app.redirectUri,
      appState: login.app.state,
      appCodeChallenge: login.app.codeChallenge,
      loginAttemptId,
      credentialsId: login.credentials.id,
      recordAttemptOnReturn,
      expiresAt: new Date(ctx.now() + LOGIN_LIFETIME_MS),
    }),
    login.connection !== null && ctx.store.loginAttempts.create({
      id: loginAttemptId,
      connectionId: login.connection.id,
      organizationId: login.connection.organizationId,
      initiatedBy: login.initiatedBy,
      step: 'upstream_redirect',
      outcome: 'pending',
      errorCode: null,
      errorDescription: null,
      upstreamError: null,
      districtId: login.connection.districtId,
      idpId: null,
      email: null,
    }),
  ]);

  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    response_type: 'code',
    state,
    nonce,
    code_challenge: pkceChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...module.authorizationParams(login.connection, login.loginHint, metadataOf(config).scopes_supported),
  });
}

/** The Redirect URI the IdP sends this login back to (the same at the authorization and token requests). */
export async function idpRedirectUri(ctx: HallpassContext, credentials: Connection): Promise<string> {
  // Only a Clever connection's URI depends on which Clever app came first: others skip the read.
  const firstCleverClientId = credentials.connectionType === 'CleverOIDC' ? await firstCleverApp(ctx.store) : null;
  return redirectUriFor(ctx.config.publicUrl, credentials, firstCleverClientId);
}

/**
 * The S256 challenge (RFC 7636 §4.2). node:crypto's synchronous SHA-256 costs a
 * tenth of WebCrypto's async digest, which openid-client's helper uses.
 */
function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
