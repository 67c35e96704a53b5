/**
 * `Idempotency-Key`: a retry carrying the same key and body gets the first
 * answer again instead of doing the work twice (creating a second record,
 * redeeming a code twice). Used by the management API and by /sso/token,
 * each answering misuse in its own error format.
 *
 * The claim is one atomic statement in the database, so two Hallpass
 * instances receiving the same retry agree on which one does the work.
 * Answers are stored sealed (a token answer holds a bearer token) and keys
 * hashed; request bodies are compared by keyed fingerprint (a body may hold a
 * secret).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from './context.ts';
import { hashSecret } from './secrets.ts';
import type { IdempotentResponse } from './store/types.ts';

/** How long an answer stays replayable (WorkOS keeps keys for 24 hours). */
const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** How a request misused its key: not one value of 1–255 characters, reused with another body, or sent again while the first is running. */
export type IdempotencyMisuse = 'invalid_key' | 'reused' | 'in_progress';

/**
 * Sends `answer()`'s response, running it at most once per key when the
 * request carries one. Whatever the first attempt answered, errors included,
 * is what every retry gets. `scope` names the endpoint, so one key used on two
 * endpoints is two keys.
 */
export async function sendIdempotently(
  ctx: HallpassContext,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  answer: () => Promise<IdempotentResponse>,
  refuse: (why: IdempotencyMisuse) => IdempotentResponse,
): Promise<FastifyReply> {
  const send = (response: IdempotentResponse) => reply.status(response.status).send(response.body);
  const header = request.headers['idempotency-key'];
  if (header === undefined) return send(await answer());
  const key = typeof header === 'string' ? header.trim() : '';
  if (key === '' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) return send(refuse('invalid_key'));

  const storeKey = `${scope}:${hashSecret(key)}`;
  const fingerprint = ctx.secrets.fingerprint(JSON.stringify(request.body ?? null));
  const claim = await ctx.store.idempotency.claim(storeKey, fingerprint, new Date(ctx.now() + KEY_LIFETIME_MS));
  if (!claim.claimed) {
    if (claim.conflict) return send(refuse('reused'));
    if (claim.response === undefined) return send(refuse('in_progress'));
    const body = JSON.parse(ctx.secrets.open((claim.response.body as { sealed: string }).sealed)) as unknown;
    reply.header('idempotent-replayed', 'true');
    return send({ status: claim.response.status, body });
  }
  const response = await answer();
  await ctx.store.idempotency.complete(storeKey, { status: response.status, body: { sealed: ctx.secrets.seal(JSON.stringify(response.body)) } });
  return send(response);
}
