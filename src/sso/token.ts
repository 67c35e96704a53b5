/**
 * POST /sso/token — step 6: the app redeems its one-time code for the profile.
 *
 * The app authenticates with an API key as `client_secret`, or proves
 * possession with a PKCE `code_verifier`, or both. Failures are 400 with
 * `error` / `error_description`, as WorkOS answers. A retry carrying the same
 * `Idempotency-Key` gets the first answer again. Failed requests are counted
 * per client address (and per `client_id` without an API key); past the limit
 * the answer is 429 `rate_limit_exceeded` with `Retry-After`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from '../context.ts';
import { HallpassError, oauthErrorBody, toHallpassError } from '../errors.ts';
import { MAX_IDEMPOTENCY_KEY_LENGTH, sendIdempotently, type CommitWrites, type IdempotencyMisuse } from '../idempotency.ts';
import { tooManyRequests, type Limit } from '../rate-limits.ts';
import { hashSecret } from '../secrets.ts';
import { tagLoginAttempt } from '../log.ts';
import { countSignIn } from '../metrics.ts';
import type { IdempotentResponse } from '../store/types.ts';
import { singleParam } from './params.ts';

export const ACCESS_TOKEN_LIFETIME_S = 600;

/** The limits on failed token requests: per client address, and per `client_id` for requests without a valid API key. */
export interface TokenLimits {
  failuresPerAddress: Limit;
  failuresPerClient: Limit;
}

/** A token request whose client is known and, when it sent one, whose API key is valid. */
interface AuthenticatedTokenRequest {
  clientId: string;
  code: string;
  /** Whether a valid API key came (otherwise only PKCE can prove the client). */
  withApiKey: boolean;
  codeVerifier: string | undefined;
}

export function tokenHandler(ctx: HallpassContext, limits: TokenLimits) {
  return async function token(request: FastifyRequest, reply: FastifyReply) {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const refused = await limits.failuresPerAddress.reached(request);
    if (refused.limited) return sendError(reply, tooManyRequests(reply, refused));

    // Parse and authenticate before claiming any Idempotency-Key: a stranger stores nothing.
    let authenticated: AuthenticatedTokenRequest;
    try {
      authenticated = await authenticateTokenRequest(ctx, request.body);
    } catch (err) {
      const error = toHallpassError(err);
      if (error.status < 500) await countFailure(request, limits, false);
      return sendError(reply, error);
    }
    if (!authenticated.withApiKey) {
      const clientRefused = await limits.failuresPerClient.reached(request);
      if (clientRefused.limited) return sendError(reply, tooManyRequests(reply, clientRefused));
    }

    // Awaiting a reply waits until it is sent; then its status says whether the request failed.
    await sendIdempotently(ctx, request, reply, 'POST /sso/token', (commit) => answerTokenRequest(ctx, authenticated, commit), refuse);
    if (reply.statusCode === 400) await countFailure(request, limits, !authenticated.withApiKey);
    return reply;
  };
}

async function countFailure(request: FastifyRequest, limits: TokenLimits, perClient: boolean): Promise<void> {
  await limits.failuresPerAddress.hit(request);
  if (perClient) await limits.failuresPerClient.hit(request);
}

function sendError(reply: FastifyReply, error: HallpassError): FastifyReply {
  if (error.status >= 500) reply.log.error({ err: error }, 'token request failed');
  return reply.status(tokenErrorStatus(error)).send(oauthErrorBody(error));
}

/** Statuses the token endpoint keeps: wrong method, key in use, body too large or of the wrong type, rate limit, database down. */
const KEPT_STATUSES = new Set([405, 409, 413, 415, 429, 503]);

/** The token endpoint's status for an error: OAuth errors are 400 (RFC 6749 §5.2), others keep theirs (see {@link KEPT_STATUSES}), the rest 500. */
export function tokenErrorStatus(error: HallpassError): number {
  return KEPT_STATUSES.has(error.status) ? error.status : error.status >= 500 ? 500 : 400;
}

/** Misuse of Idempotency-Key in OAuth's error format (400, or 409 while the first request runs). */
function refuse(why: IdempotencyMisuse): IdempotentResponse {
  const description =
    why === 'in_progress'
      ? 'A request with this Idempotency-Key is still in progress; retry shortly.'
      : why === 'reused'
        ? 'This Idempotency-Key was already used with a different request.'
        : `Idempotency-Key must be one value of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`;
  return { status: why === 'in_progress' ? 409 : 400, body: oauthErrorBody(new HallpassError('invalid_request', description)) };
}

async function authenticateTokenRequest(ctx: HallpassContext, body: unknown): Promise<AuthenticatedTokenRequest> {
  if (body === null || typeof body !== 'object') {
    throw new HallpassError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded or JSON.');
  }
  const grantType = singleParam(body, 'grant_type', 64);
  if (!grantType) throw new HallpassError('invalid_request', 'The grant_type parameter is missing.');
  if (grantType !== 'authorization_code') throw new HallpassError('unsupported_grant_type', `grant_type "${grantType}" is not supported; use authorization_code.`);
  const code = singleParam(body, 'code', 256);
  if (!code) throw new HallpassError('invalid_request', 'The code parameter is missing.');
  const clientId = singleParam(body, 'client_id', 128);
  if (!clientId) throw new HallpassError('invalid_request', 'The client_id parameter is missing.');
  const clientSecret = singleParam(body, 'client_secret', 256);
  const codeVerifier = singleParam(body, 'code_verifier', 128);

  // Authenticate before touching the code, so a wrong secret cannot burn it.
  const settings = await ctx.store.settings.get();
  if (clientId !== settings.clientId) throw new HallpassError('invalid_client', `Unknown client_id "${clientId}".`);
  if (clientSecret !== undefined && !(await ctx.store.apiKeys.findByHash(hashSecret(clientSecret)))) {
    throw new HallpassError('invalid_client', 'The client_secret is not a valid API key.');
  }
  if (clientSecret === undefined && codeVerifier === undefined) {
    throw new HallpassError('invalid_client', 'Authenticate with client_secret (an API key) or a PKCE code_verifier.');
  }
  return { clientId, code, withApiKey: clientSecret !== undefined, codeVerifier };
}

/**
 * Redeems the code: its consumption, the access token and the recorded
 * answer commit together. A wrong verifier still burns the code (one guess
 * per code), so that refusal is committed too.
 */
async function answerTokenRequest(ctx: HallpassContext, request: AuthenticatedTokenRequest, commit: CommitWrites): Promise<IdempotentResponse> {
  let redeemed: { loginAttemptId: string; profile: { connection_type: string } } | undefined;
  try {
    const response = await commit(async (store) => {
      // Without an API key, only PKCE can authenticate: such a request must not consume a code issued without PKCE.
      const issued = await store.codes.consume(hashSecret(request.code), new Date(ctx.now()), { withPkceOnly: !request.withApiKey });
      if (!issued || issued.clientId !== request.clientId) {
        throw new HallpassError('invalid_grant', 'The code is invalid, expired or already used, or was issued without PKCE and needs client_secret.');
      }
      if (issued.codeChallenge !== null && (!request.codeVerifier || !verifierMatches(request.codeVerifier, issued.codeChallenge))) {
        return errorResponse(new HallpassError('invalid_grant', 'The code_verifier does not match the code_challenge of the authorization request.'));
      }
      const accessToken = randomBytes(32).toString('base64url');
      await store.accessTokens.save({
        tokenHash: hashSecret(accessToken),
        profile: issued.profile,
        expiresAt: new Date(ctx.now() + ACCESS_TOKEN_LIFETIME_S * 1000),
      });
      redeemed = issued;
      return { status: 200, body: { token_type: 'Bearer', access_token: accessToken, expires_in: ACCESS_TOKEN_LIFETIME_S, profile: issued.profile } };
    });
    if (redeemed !== undefined && response.status === 200) {
      tagLoginAttempt(redeemed.loginAttemptId);
      await ctx.store.loginAttempts.update(redeemed.loginAttemptId, { step: 'code_redeemed', outcome: 'succeeded' });
      countSignIn('succeeded', redeemed.profile.connection_type, 'code_redeemed');
    }
    return response;
  } catch (err) {
    const error = toHallpassError(err);
    if (error.status >= 500) ctx.logger.error({ err }, 'token request failed');
    return errorResponse(error);
  }
}

function errorResponse(error: HallpassError): IdempotentResponse {
  return { status: tokenErrorStatus(error), body: oauthErrorBody(error) };
}

function verifierMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
