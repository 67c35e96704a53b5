/**
 * `Idempotency-Key` support for creating endpoints: a retry carrying the same
 * key and body gets the first answer again instead of creating a second record.
 *
 * The claim is one atomic statement in the database, so two Hallpass
 * instances receiving the same retry agree on which one does the work.
 * Status codes for misuse follow the IETF draft "The Idempotency-Key HTTP
 * Header Field": a key reused with another body is 422; a key whose first
 * request is still running is 409.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from '../context.ts';
import { apiErrorBody, HallpassError, toHallpassError } from '../errors.ts';
import type { IdempotentResponse } from '../store/types.ts';
import { invalidParameters } from './parse-input.ts';

/** How long an answer stays replayable (WorkOS keeps keys for 24 hours). */
const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

/**
 * Runs `create` at most once per `Idempotency-Key` (when the request has one)
 * and sends its answer. Whatever the first attempt answered, errors included,
 * is what every retry gets: a retry never sees a different outcome.
 *
 * `scope` names the endpoint, so one key used on two endpoints is two keys.
 */
export async function sendIdempotently(
  ctx: HallpassContext,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  create: () => Promise<IdempotentResponse>,
): Promise<FastifyReply> {
  const key = idempotencyKey(request);
  if (key === undefined) {
    const response = await create();
    return reply.status(response.status).send(response.body);
  }

  const storeKey = `${scope}:${key}`;
  const fingerprint = ctx.secrets.fingerprint(JSON.stringify(request.body ?? null));
  const claim = await ctx.store.idempotency.claim(storeKey, fingerprint, new Date(ctx.now() + KEY_LIFETIME_MS));
  if (!claim.claimed) {
    if (claim.conflict) {
      throw invalidParameters([
        { field: 'Idempotency-Key', code: 'idempotency_key_reused', message: 'Idempotency-Key was already used with a different request body' },
      ]);
    }
    if (claim.response === undefined) {
      throw new HallpassError('conflict', 'A request with this Idempotency-Key is still being processed; retry shortly.');
    }
    return reply.status(claim.response.status).header('idempotent-replayed', 'true').send(claim.response.body);
  }

  let response: IdempotentResponse;
  try {
    response = await create();
  } catch (err) {
    const error = toHallpassError(err);
    if (error.status >= 500) request.log.error({ err }, 'idempotent request failed');
    response = { status: error.status, body: apiErrorBody(error) };
  }
  await ctx.store.idempotency.complete(storeKey, response);
  return reply.status(response.status).send(response.body);
}

function idempotencyKey(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? undefined : header.trim();
  if (!key || key.length > MAX_KEY_LENGTH) {
    throw invalidParameters([
      { field: 'Idempotency-Key', code: 'idempotency_key_invalid', message: `Idempotency-Key must be one value of 1 to ${MAX_KEY_LENGTH} characters` },
    ]);
  }
  return key;
}
