/**
 * GET /sso/authorize — step 1 of a login, from the app.
 *
 * Until the client and redirect URI are known to be the app's own, errors are
 * shown on a page (never redirect to an untrusted URI); after that they go
 * back to the app's redirect URI with `error`, `error_description` and `state`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from '../context.ts';
import type { UpstreamClients } from '../connections/upstream-client.ts';
import { HallpassError, toHallpassError } from '../errors.ts';
import { newId } from '../ids.ts';
import { tooManyRequests, type Limit } from '../rate-limits.ts';
import { tagLoginAttempt } from '../log.ts';
import { appRedirectWithError, forApp } from './answer-app.ts';
import { countUnrecorded, recordRejectedStart } from './login-attempts.ts';
import type { Connection } from '../store/types.ts';
import { sendErrorPage } from './error-page.tsx';
import { singleParam } from './params.ts';
import { selectConnection } from './select-connection.ts';
import { startUpstreamLogin } from './start-upstream-login.ts';

const CODE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/** `perClient` caps the logins one instance starts for the application's client ID (a flood of valid-looking requests). */
export function authorizeHandler(ctx: HallpassContext, clients: UpstreamClients, perClient: Limit) {
  return async function authorize(request: FastifyRequest, reply: FastifyReply) {
    const query = request.query;
    let trusted: { redirectUri: string; state: string | null };
    try {
      trusted = await checkClientAndRedirectUri(ctx, query);
    } catch (err) {
      const error = toHallpassError(err);
      // No trusted client yet: counted, never stored (anyone can send these).
      countUnrecorded(ctx, `authorize:${error.code}`);
      return sendErrorPage(reply, error);
    }
    const verdict = await perClient.hit(request);
    if (verdict.limited) return sendErrorPage(reply.header('cache-control', 'no-store'), tooManyRequests(reply, verdict));

    const loginAttemptId = newId('login');
    let connection: Connection | null = null;
    tagLoginAttempt(loginAttemptId);
    try {
      const responseType = singleParam(query, 'response_type');
      if (responseType === undefined) throw new HallpassError('invalid_request', 'The response_type parameter is missing.');
      if (responseType !== 'code') throw new HallpassError('unsupported_response_type', `response_type "${responseType}" is not supported; use "code".`);
      const codeChallenge = readCodeChallenge(query);
      const selected = await selectConnection(ctx.store, {
        connection: singleParam(query, 'connection', 64),
        organization: singleParam(query, 'organization', 64),
        provider: singleParam(query, 'provider', 64),
        // The SDK's `providerQueryParams: { client_id }`: which Clever app a district-less login uses.
        providerClientId: singleParam(query, 'provider_query_params[client_id]', 256),
      });
      connection = selected.connection;
      const url = await startUpstreamLogin(ctx, clients, request, reply, {
        ...selected,
        app: { redirectUri: trusted.redirectUri, state: trusted.state, codeChallenge },
        initiatedBy: 'app',
        loginHint: singleParam(query, 'login_hint', 320),
        loginAttemptId,
      });
      return reply.header('cache-control', 'no-store').redirect(url.href, 302);
    } catch (err) {
      const error = toHallpassError(err);
      if (error.status >= 500) request.log.error({ err }, 'authorize failed');
      await recordRejectedStart(ctx, loginAttemptId, 'app', error, connection);
      return reply.header('cache-control', 'no-store').redirect(appRedirectWithError(trusted.redirectUri, forApp(error), trusted.state), 302);
    }
  };
}

async function checkClientAndRedirectUri(ctx: HallpassContext, query: unknown): Promise<{ redirectUri: string; state: string | null }> {
  const clientId = singleParam(query, 'client_id', 128);
  if (!clientId) throw new HallpassError('invalid_request', 'The client_id parameter is missing.');
  const settings = await ctx.store.settings.get();
  if (clientId !== settings.clientId) throw new HallpassError('invalid_client', `Unknown client_id "${clientId}".`);
  const redirectUri = singleParam(query, 'redirect_uri');
  if (!redirectUri) throw new HallpassError('invalid_request', 'The redirect_uri parameter is missing.');
  const allowed = await ctx.store.redirectUris.list();
  if (!allowed.some((r) => r.uri === redirectUri)) {
    throw new HallpassError('invalid_request', 'The redirect_uri is not on the application\'s list of allowed redirect URIs.');
  }
  // `state` is checked here too: a repeated state cannot be echoed back faithfully.
  return { redirectUri, state: singleParam(query, 'state') ?? null };
}

function readCodeChallenge(query: unknown): string | null {
  const challenge = singleParam(query, 'code_challenge', 128);
  const method = singleParam(query, 'code_challenge_method', 16);
  if (!challenge) {
    if (method) throw new HallpassError('invalid_request', 'code_challenge_method was given without code_challenge.');
    return null;
  }
  if ((method ?? 'plain') !== 'S256') throw new HallpassError('invalid_request', 'code_challenge_method must be S256.');
  if (!CODE_CHALLENGE.test(challenge)) throw new HallpassError('invalid_request', 'code_challenge is not a valid S256 challenge.');
  return challenge;
}

