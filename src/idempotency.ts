/**
 * `Idempotency-Key`: a retry carrying the same key and body gets the first
 * answer again instead of doing the work twice (creating a second record,
 * redeeming a code twice). Used by the management API and by /sso/token,
 * each answering misuse in its own error format.
 *
 * Crash-safe: the request's writes and its recorded answer commit in one
 * transaction, so after a crash a retry either replays the committed answer
 * or, when nothing was committed, runs again once the dead request's lease
 * (`HALLPASS_IDEMPOTENCY_LEASE_MS`) has passed. A 5xx answer is not kept: the
 * key is released and a retry runs afresh. Callers claim a key only after
 * authenticating the request, so strangers cannot store anything.
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
import type { IdempotentResponse, TransactionStore } from './store/types.ts';

/** How long an answer stays replayable (WorkOS keeps keys for 24 hours). */
const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** How a request misused its key: not one value of 1–255 characters, reused with another body, or sent again while the first is running. */
export type IdempotencyMisuse = 'invalid_key' | 'reused' | 'in_progress';

/**
 * Commits a request's writes: `write` runs in one transaction, and when the
 * request carries a key, the answer it returns is recorded in that same
 * transaction. Without a key, `write` runs on the store directly.
 */
export type CommitWrites = (write: (store: TransactionStore) => Promise<IdempotentResponse>) => Promise<IdempotentResponse>;

/** The claim lapsed (another request took the key over) before the writes could commit; they were rolled back. */
class ClaimLost extends Error {
  constructor(readonly response: IdempotentResponse) {
    super('the Idempotency-Key claim lapsed before the writes committed');
  }
}

/**
 * Sends `answer()`'s response, running it at most once per key when the
 * request carries one. `answer` must put its writes through `commit`.
 * Whatever the first attempt answered, 4xx errors included, is what every
 * retry gets; a 5xx is never replayed. `scope` names the endpoint, so one key
 * used on two endpoints is two keys.
 */
export async function sendIdempotently(
  ctx: HallpassContext,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  answer: (commit: CommitWrites) => Promise<IdempotentResponse>,
  refuse: (why: IdempotencyMisuse) => IdempotentResponse,
): Promise<FastifyReply> {
  const send = (response: IdempotentResponse) => reply.status(response.status).send(response.body);
  const header = request.headers['idempotency-key'];
  if (header === undefined) return send(await answer((write) => write(ctx.store)));
  const key = typeof header === 'string' ? header.trim() : '';
  if (key === '' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) return send(refuse('invalid_key'));

  const storeKey = `${scope}:${hashSecret(key)}`;
  const fingerprint = ctx.secrets.fingerprint(jsonText(request.body ?? null));
  const replay = async (): Promise<FastifyReply> => {
    const claim = await ctx.store.idempotency.claim(storeKey, fingerprint, new Date(ctx.now() + ctx.config.idempotencyLeaseMs), new Date(ctx.now()));
    if (claim.claimed) {
      // Only if the request that took the key over has died too: leave the key to a later retry.
      await ctx.store.idempotency.release(storeKey, claim.token);
      return send(refuse('in_progress'));
    }
    return sendStored(claim);
  };
  const sendStored = (claim: { conflict: boolean; response: IdempotentResponse | undefined }) => {
    if (claim.conflict) return send(refuse('reused'));
    if (claim.response === undefined) return send(refuse('in_progress'));
    const body = JSON.parse(ctx.secrets.open((claim.response.body as { sealed: string }).sealed)) as unknown;
    reply.header('idempotent-replayed', 'true');
    return send({ status: claim.response.status, body });
  };

  const claim = await ctx.store.idempotency.claim(storeKey, fingerprint, new Date(ctx.now() + ctx.config.idempotencyLeaseMs), new Date(ctx.now()));
  if (!claim.claimed) return sendStored(claim);

  const { token } = claim;
  const sealed = (response: IdempotentResponse): IdempotentResponse => ({ status: response.status, body: { sealed: ctx.secrets.seal(JSON.stringify(response.body)) } });
  const expiry = () => new Date(ctx.now() + KEY_LIFETIME_MS);
  let recorded = false;
  let lost = false;
  const commit: CommitWrites = async (write) => {
    try {
      return await ctx.store.transaction(async (store) => {
        const response = await write(store);
        if (response.status < 500) {
          if (!(await store.idempotency.complete(storeKey, token, sealed(response), expiry()))) throw new ClaimLost(response);
          recorded = true;
        }
        return response;
      });
    } catch (err) {
      if (!(err instanceof ClaimLost)) throw err;
      lost = true;
      return err.response;
    }
  };

  let response: IdempotentResponse;
  try {
    response = await answer(commit);
  } catch (err) {
    await ctx.store.idempotency.release(storeKey, token).catch(() => undefined);
    throw err;
  }
  if (lost) return replay();
  if (response.status >= 500) {
    // With the database down this fails too; the lease then frees the key.
    await ctx.store.idempotency.release(storeKey, token).catch(() => undefined);
  } else if (!recorded && !(await ctx.store.idempotency.complete(storeKey, token, sealed(response), expiry()))) {
    // Answered without writing anything, after another request took the key over: tell this one what the key holds.
    return replay();
  }
  return send(response);
}

/**
 * The JSON text of a parsed request body, written without recursion:
 * `JSON.stringify` overflows the stack on a body nested a few thousand levels
 * deep, which any client may send. Same output as `JSON.stringify` for what
 * the JSON and form parsers produce.
 */
function jsonText(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Literal) {
      out.push(item.text);
    } else if (Array.isArray(item)) {
      stack.push(new Literal(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i] === undefined ? null : item[i]);
        if (i > 0) stack.push(new Literal(','));
      }
      out.push('[');
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item).filter(([, v]) => v !== undefined && typeof v !== 'function');
      stack.push(new Literal('}'));
      for (let i = entries.length - 1; i >= 0; i--) {
        const [name, v] = entries[i]!;
        stack.push(v, new Literal(`${JSON.stringify(name)}:`));
        if (i > 0) stack.push(new Literal(','));
      }
      out.push('{');
    } else {
      out.push(JSON.stringify(item) ?? 'null');
    }
  }
  return out.join('');
}

class Literal {
  constructor(readonly text: string) {}
}
