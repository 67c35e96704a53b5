/**
 * `Idempotency-Key` for the management API's creating endpoints, answering
 * misuse as the IETF draft "The Idempotency-Key HTTP Header Field" says: a
 * key reused with another body is 422; a key whose first request is still
 * running is 409.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from '../context.ts';
import { apiErrorBody, HallpassError, toHallpassError } from '../errors.ts';
import { MAX_IDEMPOTENCY_KEY_LENGTH, sendIdempotently as sendOnce, type CommitWrites, type IdempotencyMisuse } from '../idempotency.ts';
import type { IdempotentResponse } from '../store/types.ts';
import { invalidParameters } from './parse-input.ts';

/**
 * Runs `create` at most once per `Idempotency-Key`; its errors are answered
 * (4xx replayed, 5xx not) in the API's format. `create` makes its writes
 * through `commit`, which records the answer in the same transaction.
 */
export function sendIdempotently(
  ctx: HallpassContext,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  create: (commit: CommitWrites) => Promise<IdempotentResponse>,
): Promise<FastifyReply> {
  const answer = async (commit: CommitWrites): Promise<IdempotentResponse> => {
    try {
      return await create(commit);
    } catch (err) {
      const error = toHallpassError(err);
      if (error.status >= 500) request.log.error({ err }, 'idempotent request failed');
      return { status: error.status, body: apiErrorBody(error) };
    }
  };
  return sendOnce(ctx, request, reply, scope, answer, refuse);
}

function refuse(why: IdempotencyMisuse): IdempotentResponse {
  const error =
    why === 'in_progress'
      ? new HallpassError('conflict', 'A request with this Idempotency-Key is still being processed; retry shortly.')
      : why === 'reused'
        ? invalidParameters([{ field: 'Idempotency-Key', code: 'idempotency_key_reused', message: 'Idempotency-Key was already used with a different request body' }])
        : invalidParameters([{ field: 'Idempotency-Key', code: 'idempotency_key_invalid', message: `Idempotency-Key must be one value of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` }]);
  return { status: error.status, body: apiErrorBody(error) };
}
