/**
 * The Data API's rate limit as Clever's "API Responses and Error Messages"
 * page describes it: 1,200 requests a minute per bearer token, counted in
 * windows that reset rather than as an average; every answer to a token
 * carries `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`
 * (the Unix time in seconds when the count resets) and `X-RateLimit-Bucket`;
 * past the limit the answer is an empty 429.
 *
 * `@fastify/rate-limit` does the counting. Its own headers are off: its
 * reset header counts seconds from now, Clever's is a timestamp. Its store
 * is replaced by one on the sandbox's clock, so tests can move time.
 */
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SandboxError } from '../sandbox-error.ts';
import type { SandboxSettings } from '../settings.ts';
import { ExpiringMap } from '../state/expiring-map.ts';

/** Counts one request of an access token already found valid; sets the headers, or throws the 429. */
export type DataApiRateLimit = (request: FastifyRequest, reply: FastifyReply, accessToken: string) => Promise<void>;

interface Window {
  count: number;
  endsAt: number;
}

/**
 * A fixed-window counter per key on the sandbox's clock. A key's window
 * starts at its first request; entries vanish when their window ends, so
 * memory holds only tokens used in the last window.
 */
function clockStore(now: () => number, windowMs: number) {
  return class ClockStore {
    private readonly windows = new ExpiringMap<Window>(now, windowMs);

    incr(key: string, callback: (error: Error | null, result: { current: number; ttl: number }) => void): void {
      let window = this.windows.get(key);
      if (!window) {
        window = { count: 0, endsAt: now() + windowMs };
        this.windows.set(key, window);
      }
      window.count += 1;
      callback(null, { current: window.count, ttl: Math.max(0, window.endsAt - now()) });
    }

    child(): ClockStore {
      return this;
    }
  };
}

/** Clever names a bucket per token; the sandbox's is a digest, so the header never repeats the token. */
function bucketName(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('hex').slice(0, 16);
}

export async function installDataApiRateLimit(
  app: FastifyInstance,
  settings: SandboxSettings['rateLimit'],
  now: () => number,
): Promise<DataApiRateLimit> {
  await app.register(rateLimit, { global: false, store: clockStore(now, settings.windowMs) });
  // The key is set per call below (the token the handler already checked).
  const keys = new WeakMap<FastifyRequest, string>();
  const limiter = app.createRateLimit({
    max: settings.max,
    timeWindow: settings.windowMs,
    keyGenerator: (request) => keys.get(request)!,
  });
  return async (request, reply, accessToken) => {
    keys.set(request, accessToken);
    const result = await limiter(request);
    if (result.isAllowed) return;
    reply.headers({
      'x-ratelimit-limit': String(result.max),
      'x-ratelimit-remaining': String(result.remaining),
      'x-ratelimit-reset': String(Math.ceil((now() + result.ttl) / 1000)),
      'x-ratelimit-bucket': bucketName(accessToken),
    });
    if (result.isExceeded) throw new SandboxError(429, 'rate_limit_exceeded', undefined, {}, { emptyBody: true });
  };
}
