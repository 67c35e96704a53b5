/**
 * Bearer API-key authentication for the management API.
 *
 * Keys are stored only as SHA-256 hashes, so the lookup is by hash. The key
 * itself is never logged or echoed: error messages say only whether one was
 * missing or unknown.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HallpassError } from '../errors.ts';
import { hashSecret } from '../secrets.ts';
import type { Store } from '../store/types.ts';
import { tooManyRequests, type Limit } from '../rate-limits.ts';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * An `onRequest` hook refusing requests without a valid `Authorization: Bearer sk_…`.
 * `failures` counts the refusals per client address; once it is reached, every
 * request from that address is refused (429) until its window ends, before any
 * key is looked up.
 */
export function authenticateApiKey(store: Store, failures?: Limit) {
  return async function authenticateApiKey(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const verdict = await failures?.reached(request);
    if (verdict?.limited) throw tooManyRequests(reply, verdict);
    const key = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!key) {
      await failures?.hit(request);
      refuse(reply, 'Missing API key: send it as the header `Authorization: Bearer sk_…`.');
    }
    const found = await store.apiKeys.findByHash(hashSecret(key));
    if (!found) {
      await failures?.hit(request);
      refuse(reply, 'Invalid API key: it is unknown or has been revoked.');
    }
    // The audit log names the key that made a change.
    request.auditActor = { type: 'api_key', id: found.id, name: found.name };
  };
}

function refuse(reply: FastifyReply, message: string): never {
  // RFC 6750 §3: a 401 from a bearer-protected resource names the scheme.
  reply.header('www-authenticate', 'Bearer');
  throw new HallpassError('unauthorized', message);
}
