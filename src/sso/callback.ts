/**
 * Steps 3–5 of a login: the IdP sends the browser back with a code.
 *
 *   read the callback → consume the state (once, bound to this browser)
 *   → redeem the code at the IdP and validate the tokens → read the identity
 *   → find the connection (Clever: by district) → build the profile
 *   → issue a one-time code → send the browser to the app.
 *
 * A Clever callback with a code and no state is a login that started at
 * Clever (Portal, Instant Login). Its code is never redeemed: the login is
 * restarted with fresh state, nonce and PKCE, which the user's live Clever
 * session makes invisible, and ends at the app's default redirect URI. The
 * Clever app is the one whose Redirect URI the launch arrived at.
 *
 * A callback that arrives twice (a refresh, the back button, a code Clever
 * delivered twice) finds its state already used: the person is told the
 * sign-in went through, and the code is never redeemed a second time.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from '../context.ts';
import { connectionModule } from '../connections/index.ts';
import { stringClaim, type UpstreamIdentity } from '../connections/identity.ts';
import type { UpstreamClients } from '../connections/upstream-client.ts';
import { HallpassError, toHallpassError } from '../errors.ts';
import { newId } from '../ids.ts';
import { tagLoginAttempt } from '../log.ts';
import type { AuthorizationState, Connection, LoginStep, LoginStepTime } from '../store/types.ts';
import { appRedirectWithCode, appRedirectWithError, forApp } from './answer-app.ts';
import { browserBindingHash } from './browser-binding.ts';
import { buildProfile } from './build-profile.ts';
import { checkProfileDomain } from './check-profile-domain.ts';
import { cleverCredentials } from './clever-credentials.ts';
import { sendAlreadyCompletedPage, sendErrorPage } from './error-page.tsx';
import { issueAppCode } from './issue-app-code.ts';
import { countUnrecorded, recordFailure, recordRejectedStart, recordReturnedLogin } from './login-attempts.ts';
import { singleParam } from './params.ts';
import { resolveConnection } from './resolve-connection.ts';
import { idpRedirectUri, startUpstreamLogin } from './start-upstream-login.ts';

type CallbackKind = 'clever' | 'oidc';

export interface CallbackRoute {
  /** `/sso/oidc/callback/{connectionId}` */
  connectionId?: string;
  /** `/sso/clever/callback/{cleverApp}`: the Clever client ID; absent on the first Clever app's shorter `/sso/clever/callback`. */
  cleverApp?: string;
}

/** The route generic of every IdP callback. */
export type CallbackRequest = { Params: CallbackRoute };

interface CallbackParams {
  code: string | undefined;
  state: string | undefined;
  error: string | undefined;
  errorDescription: string | undefined;
}

export function callbackHandler(ctx: HallpassContext, clients: UpstreamClients, kind: CallbackKind) {
  return async function callback(request: FastifyRequest<{ Params: CallbackRoute }>, reply: FastifyReply) {
    reply.header('cache-control', 'no-store');
    let params: CallbackParams;
    try {
      params = readCallbackParams(request.query);
    } catch (err) {
      countUnrecorded(ctx, 'callback:invalid_request');
      return sendErrorPage(reply, toHallpassError(err));
    }

    // Until a state is consumed, nothing ties the request to a login: count it, store nothing.
    if (!params.state) {
      if (kind === 'clever' && params.code && !params.error) return restartIdpInitiatedLogin(ctx, clients, request, reply, request.params.cleverApp);
      countUnrecorded(ctx, 'callback:no_state');
      return sendErrorPage(reply, new HallpassError('invalid_request', 'The identity provider sent you back without the information needed to finish signing in. Start again from the application.'));
    }

    const secureCookie = ctx.config.publicUrl.startsWith('https://');
    const pending = await ctx.store.authorizationStates.consume(params.state, new Date(ctx.now()));
    if (!pending) {
      const used = await ctx.store.authorizationStates.findConsumed(params.state, new Date(ctx.now()));
      if (used && browserBindingHash(request, secureCookie) === used.browserBindingHash) return answerSecondArrival(ctx, reply, used);
      countUnrecorded(ctx, 'callback:unknown_state');
      return sendErrorPage(reply, new HallpassError('invalid_request', 'This sign-in has expired or was already completed. Start again from the application.'));
    }
    tagLoginAttempt(pending.loginAttemptId);
    await recordReturnedLogin(ctx, pending);
    const misrouted =
      (kind === 'oidc' && pending.connectionId !== request.params.connectionId) ||
      (kind === 'clever' && pending.connectionType !== 'CleverOIDC');
    if (misrouted || browserBindingHash(request, secureCookie) !== pending.browserBindingHash) {
      const err = new HallpassError('access_denied', 'This sign-in was started in a different browser or for a different connection. Start again from the application.');
      await recordFailure(ctx, pending.loginAttemptId, 'callback', err, undefined, pending.connectionType);
      return sendErrorPage(reply, err, pending.loginAttemptId);
    }

    let step: 'callback' | 'token_exchange' | 'profile' | 'organization' = 'callback';
    // The time of each step, written with the attempt's final update (no write per step).
    // (A login recorded only now, on its return, has its callback step from that record already.)
    const reached: LoginStepTime[] = pending.recordAttemptOnReturn ? [] : [{ step, at: new Date(ctx.now()) }];
    const reach = (next: typeof step) => {
      step = next;
      reached.push({ step, at: new Date(ctx.now()) });
    };
    let identity: UpstreamIdentity | undefined;
    let claims: Record<string, unknown> | undefined;
    try {
      if (params.error) throw idpRefused(params);
      if (!params.code) throw new HallpassError('invalid_request', 'The identity provider sent no code.');
      const credentials = await loadCredentials(ctx, pending);
      if (kind === 'clever' && request.params.cleverApp !== undefined && request.params.cleverApp !== credentials.clientId) {
        throw new HallpassError('access_denied', 'This sign-in came back through another Clever app than the one it started with. Start again from the application.');
      }
      const module = connectionModule(pending.connectionType);

      reach('token_exchange');
      const callbackUrl = new URL(await idpRedirectUri(ctx, credentials));
      callbackUrl.search = new URL(request.url, 'http://callback').search;
      const tokens = await clients.exchangeCode(credentials, module.clientAuth, callbackUrl, {
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        pkceCodeVerifier: pending.codeVerifier,
      }, module.idToken);
      claims = tokens.claims;

      reach('profile');
      identity = await module.readIdentity({ conn: credentials, clients, accessToken: tokens.accessToken, claims: tokens.claims });

      reach('organization');
      const connection = await resolveConnection(ctx.store, pending, credentials, identity);
      const policy = await ctx.store.organizations.domainPolicy(connection.organizationId);
      if (!policy) throw new HallpassError('organization_invalid', `Organization ${connection.organizationId} was deleted during the sign-in.`);
      checkProfileDomain(policy, identity.email);
      const settings = await ctx.store.settings.get();
      const profile = buildProfile(identity, connection, settings.defaultRole);
      const code = await issueAppCode(ctx, pending, settings.clientId, profile);
      await ctx.store.loginAttempts.update(pending.loginAttemptId, {
        step: 'code_issued',
        steps: reached,
        connectionId: connection.id,
        organizationId: connection.organizationId,
        ...whoSignedIn(identity),
      });
      return reply.redirect(appRedirectWithCode(pending.appRedirectUri, code, pending.appState), 302);
    } catch (err) {
      const error = toHallpassError(err);
      if (error.status >= 500 && !error.code.startsWith('upstream_')) request.log.error({ err }, 'login callback failed');
      const failedAt = (error.step as LoginStep | undefined) ?? step;
      await recordFailure(ctx, pending.loginAttemptId, failedAt, error, {
        // The failing step is recorded with the time it failed.
        steps: reached.at(-1)?.step === failedAt ? reached.slice(0, -1) : reached,
        // Claims come with their `sub`: the personal-data sweep blanks rows by their IdP user ID.
        ...(identity ? whoSignedIn(identity) : claims ? { claims, idpId: stringClaim(claims, 'sub') } : {}),
      }, pending.connectionType);
      // A district nobody serves is a setup problem the app cannot fix: tell the person directly.
      // (A setup link's Clever sign-in is how such a district joins: its page takes the answer.)
      if (error.code === 'organization_invalid' && pending.recordAttemptOnReturn !== 'setup') return sendErrorPage(reply, error, pending.loginAttemptId);
      return reply.redirect(appRedirectWithError(pending.appRedirectUri, forApp(error), pending.appState), 302);
    }
  };
}

/**
 * The same browser brought the same callback again: tell the person how the
 * first arrival ended, without redeeming anything a second time.
 */
async function answerSecondArrival(ctx: HallpassContext, reply: FastifyReply, used: AuthorizationState) {
  const attempt = await ctx.store.loginAttempts.find(used.loginAttemptId);
  if (attempt?.outcome === 'failed') {
    const err = new HallpassError('invalid_request', 'This sign-in was already tried, and it did not succeed. Start again from the application.');
    return sendErrorPage(reply, err, used.loginAttemptId);
  }
  return sendAlreadyCompletedPage(reply, used.appRedirectUri);
}

/** What the attempt log keeps about the person, once the IdP has said who they are (the claims for the admin's session page). */
function whoSignedIn(identity: UpstreamIdentity) {
  const name = [identity.firstName, identity.lastName].filter(Boolean).join(' ') || null;
  return { idpId: identity.idpId, email: identity.email, districtId: identity.districtId, name, claims: identity.rawAttributes };
}

function readCallbackParams(query: unknown): CallbackParams {
  return {
    code: singleParam(query, 'code'),
    state: singleParam(query, 'state'),
    error: singleParam(query, 'error', 256),
    errorDescription: singleParam(query, 'error_description'),
  };
}

/** The IdP answered with an error instead of a code (RFC 6749 §4.1.2.1). */
function idpRefused(params: CallbackParams): HallpassError {
  const upstream = [params.error, params.errorDescription].filter(Boolean).join(': ');
  return params.error === 'access_denied'
    ? new HallpassError('access_denied', 'The identity provider denied access.', { upstreamError: upstream })
    : new HallpassError('oauth_failed', `The identity provider returned an error: ${upstream}.`, { upstreamError: upstream });
}

/** The client credentials the login started with, still active. */
async function loadCredentials(ctx: HallpassContext, pending: AuthorizationState): Promise<Connection> {
  const id = pending.connectionId ?? pending.credentialsId;
  // States saved before credentials were recorded (an upgrade mid-login) were district-less Clever logins of the only app.
  if (id === null) return cleverCredentials(ctx.store);
  const connection = await ctx.store.connections.find(id);
  if (connection?.state === 'active') return connection;
  // A setup link tests a connection before it goes live: only a successful test activates it.
  if (connection && pending.connectionId && (await ctx.store.loginAttempts.find(pending.loginAttemptId))?.initiatedBy === 'setup') return connection;
  // A district-less Clever login may finish with any active connection of the same Clever app.
  if (!pending.connectionId && connection?.clientId) return cleverCredentials(ctx.store, connection.clientId);
  throw new HallpassError('connection_invalid', `Connection ${id} was removed or disabled during the sign-in.`);
}

async function restartIdpInitiatedLogin(ctx: HallpassContext, clients: UpstreamClients, request: FastifyRequest, reply: FastifyReply, cleverApp: string | undefined) {
  const loginAttemptId = newId('login');
  tagLoginAttempt(loginAttemptId);
  try {
    const defaultUri = (await ctx.store.redirectUris.list()).find((r) => r.isDefault);
    if (!defaultUri) {
      throw new HallpassError('invalid_request', 'Sign-ins started from Clever need a default redirect URI, and this application has none yet.');
    }
    const credentials = await cleverCredentials(ctx.store, cleverApp);
    const url = await startUpstreamLogin(ctx, clients, request, reply, {
      connection: null,
      credentials,
      app: { redirectUri: defaultUri.uri, state: null, codeChallenge: null },
      initiatedBy: 'idp',
      loginAttemptId,
    });
    return reply.redirect(url.href, 302);
  } catch (err) {
    const error = toHallpassError(err);
    const recorded = await recordRejectedStart(ctx, loginAttemptId, 'idp', error);
    return sendErrorPage(reply, error, recorded ? loginAttemptId : undefined);
  }
}
