/**
 * POST /sso/token — step 6: the app redeems its one-time code for the profile.
 *
 * The app authenticates with an API key as `client_secret`, or proves
 * possession with a PKCE `code_verifier`, or both. Failures are 400 with
 * `error` / `error_description`, as WorkOS answers. A retry carrying the same
 * `Idempotency-Key` gets the first answer again (stored sealed: it holds a
 * bearer token).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from '../context.ts';
import { HallpassError, oauthErrorBody, toHallpassError } from '../errors.ts';
import { hashSecret } from '../secrets.ts';
import type { Profile } from '../store/types.ts';
import { singleParam } from './params.ts';

export const ACCESS_TOKEN_LIFETIME_S = 600;
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

interface TokenAnswer {
  status: number;
  body: unknown;
}

export function tokenHandler(ctx: HallpassContext) {
  return async function token(request: FastifyRequest, reply: FastifyReply) {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const idempotencyKey = request.headers['idempotency-key'];
    if (typeof idempotencyKey !== 'string' || idempotencyKey.length === 0) {
      const answer = await answerTokenRequest(ctx, request.body);
      return reply.status(answer.status).send(answer.body);
    }
    if (idempotencyKey.length > 255) {
      return reply.status(400).send(oauthErrorBody(new HallpassError('invalid_request', 'Idempotency-Key is longer than 255 characters.')));
    }

    const key = `sso_token:${hashSecret(idempotencyKey)}`;
    const fingerprint = ctx.secrets.fingerprint(JSON.stringify(request.body ?? null));
    const claim = await ctx.store.idempotency.claim(key, fingerprint, new Date(ctx.now() + IDEMPOTENCY_WINDOW_MS));
    if (!claim.claimed) {
      if (claim.conflict) {
        return reply.status(400).send(oauthErrorBody(new HallpassError('invalid_request', 'This Idempotency-Key was already used with a different request.')));
      }
      if (!claim.response) {
        return reply.status(409).send(oauthErrorBody(new HallpassError('invalid_request', 'A request with this Idempotency-Key is still in progress; retry shortly.', { status: 409 })));
      }
      const sealed = (claim.response.body as { sealed: string }).sealed;
      return reply.status(claim.response.status).header('idempotent-replayed', 'true').send(JSON.parse(ctx.secrets.open(sealed)));
    }
    const answer = await answerTokenRequest(ctx, request.body);
    await ctx.store.idempotency.complete(key, { status: answer.status, body: { sealed: ctx.secrets.seal(JSON.stringify(answer.body)) } });
    return reply.status(answer.status).send(answer.body);
  };
}

async function answerTokenRequest(ctx: HallpassContext, body: unknown): Promise<TokenAnswer> {
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
    return { status: error.status === 409 ? 409 : error.status >= 500 ? 500 : 400, body: oauthErrorBody(error) };
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

  await ctx.store.loginAttempts.update(issued.loginAttemptId, { step: 'code_redeemed', outcome: 'succeeded' });
  return issued.profile;
}

function verifierMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
