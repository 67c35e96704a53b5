/**
 * POST /sso/token — step 6: the app redeems its one-time code for the profile.
 *
 * The app authenticates with an API key as `client_secret`, or proves
 * possession with a PKCE `code_verifier`, or both. Failures are 400 with
 * `error` / `error_description`, as WorkOS answers. A retry carrying the same
 * `Idempotency-Key` gets the first answer again.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from '../context.ts';
import { HallpassError, oauthErrorBody, toHallpassError } from '../errors.ts';
import { MAX_IDEMPOTENCY_KEY_LENGTH, sendIdempotently, type IdempotencyMisuse } from '../idempotency.ts';
import { hashSecret } from '../secrets.ts';
import { tagLoginAttempt } from '../log.ts';
import { countSignIn } from '../metrics.ts';
import type { IdempotentResponse, Profile } from '../store/types.ts';
import { singleParam } from './params.ts';

export const ACCESS_TOKEN_LIFETIME_S = 600;

export function tokenHandler(ctx: HallpassContext) {
  return async function token(request: FastifyRequest, reply: FastifyReply) {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return sendIdempotently(ctx, request, reply, 'POST /sso/token', () => answerTokenRequest(ctx, request.body), refuse);
  };
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

async function answerTokenRequest(ctx: HallpassContext, body: unknown): Promise<IdempotentResponse> {
  try {
    const profile = await redeemCode(ctx, body);
    const accessToken = randomBytes(32).toString('base64url');
    await ctx.store.accessTokens.save({
      tokenHash: hashSecret(accessToken),
      profile,
      expiresAt: new Date(ctx.now() + ACCESS_TOKEN_LIFETIME_S * 1000),
    });
    return { status: 200, body: { token_type: 'Bearer', access_token: accessToken, expires_in: ACCESS_TOKEN_LIFETIME_S, profile } };
  } catch (err) {
    const error = toHallpassError(err);
    if (error.status >= 500) ctx.logger.error({ err }, 'token request failed');
    return { status: error.status === 409 || error.status === 503 ? error.status : error.status >= 500 ? 500 : 400, body: oauthErrorBody(error) };
  }
}

async function redeemCode(ctx: HallpassContext, body: unknown): Promise<Profile> {
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

  // Without an API key, only PKCE can authenticate: such a request must not consume a code issued without PKCE.
  const issued = await ctx.store.codes.consume(hashSecret(code), new Date(ctx.now()), { withPkceOnly: clientSecret === undefined });
  if (!issued || issued.clientId !== clientId) {
    throw new HallpassError('invalid_grant', 'The code is invalid, expired or already used, or was issued without PKCE and needs client_secret.');
  }
  if (issued.codeChallenge !== null && (!codeVerifier || !verifierMatches(codeVerifier, issued.codeChallenge))) {
    throw new HallpassError('invalid_grant', 'The code_verifier does not match the code_challenge of the authorization request.');
  }

  tagLoginAttempt(issued.loginAttemptId);
  await ctx.store.loginAttempts.update(issued.loginAttemptId, { step: 'code_redeemed', outcome: 'succeeded' });
  countSignIn('succeeded', issued.profile.connection_type, 'code_redeemed');
  return issued.profile;
}

function verifierMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
