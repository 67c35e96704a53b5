/**
 * Rate limits, built on `@fastify/rate-limit`'s counters (fixed windows, in
 * each instance's memory: with N instances behind a load balancer a client
 * may reach N times a limit; see README, "Rate limits").
 *
 * Two ways to count, both per key (by default the client address, IPv6 per
 * /64, as the trusted-proxy setting lets Fastify see it):
 * - every request (`hit` before the work), for the login's browser steps;
 * - failures only (`reached` before the work, `hit` after a failure), for
 *   credentials and codes, so a busy, well-behaved client is never held back.
 *
 * Each area answers a refusal in its own format with {@link tooManyRequests}.
 * The dashboard's sign-in uses the same pair:
 *
 * ```ts
 * const failedSignIns = createLimit(app, { max: 10, windowMs: ctx.config.rateLimits.windowMs });
 * // before checking the password:
 * const verdict = await failedSignIns.reached(request);
 * if (verdict.limited) throw tooManyRequests(reply, verdict);
 * // after a wrong password:
 * await failedSignIns.hit(request);
 * ```
 */
import { countRateLimited } from './metrics.ts';
import rateLimit, { type CreateRateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HallpassError } from './errors.ts';

/** Keys each limit remembers; beyond that the least recently seen is forgotten (bounded memory under a flood of addresses). */
const KEYS_PER_LIMIT = 20_000;

export type Verdict = { limited: false } | { limited: true; retryAfterS: number };

export interface Limit {
  /** Counts this request under its key; `limited` once the count is over the maximum. */
  hit(request: FastifyRequest): Promise<Verdict>;
  /** Whether the maximum is already reached, without counting this request. */
  reached(request: FastifyRequest): Promise<Verdict>;
}

export interface LimitOptions {
  /** Requests (or failures) per window; 0: no limit. */
  max: number;
  windowMs: number;
  /** What to count by; default the client address. */
  key?: (request: FastifyRequest) => string;
}

const NO_LIMIT: Limit = {
  hit: async () => ({ limited: false }),
  reached: async () => ({ limited: false }),
};

/** Registers the counters once, at the root, with no limit of their own: each area creates its limits. */
export async function registerRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, { global: false });
}

/** A limit with its own counters (two limits never share a count). */
export function createLimit(app: FastifyInstance, { max, windowMs, key }: LimitOptions): Limit {
  if (max === 0) return NO_LIMIT;
  const options: CreateRateLimitOptions & { cache: number } = {
    max,
    timeWindow: windowMs,
    cache: KEYS_PER_LIMIT,
    ...(key ? { keyGenerator: key } : {}),
  };
  const check = app.createRateLimit(options);
  return {
    async hit(request) {
      const result = await check(request);
      return !result.isAllowed && result.isExceeded ? { limited: true, retryAfterS: Math.max(1, result.ttlInSeconds) } : { limited: false };
    },
    async reached(request) {
      const result = await check(request, { increment: false });
      return !result.isAllowed && result.remaining === 0 ? { limited: true, retryAfterS: Math.max(1, result.ttlInSeconds) } : { limited: false };
    },
  };
}

/** Sets `Retry-After` and returns the error each area answers in its own format (429). */
export function tooManyRequests(reply: FastifyReply, verdict: { retryAfterS: number }): HallpassError {
  countRateLimited(reply.request.routeOptions.url ?? 'unknown');
  reply.header('retry-after', String(verdict.retryAfterS));
  return new HallpassError('rate_limit_exceeded', `Too many requests; try again in ${verdict.retryAfterS} seconds.`);
}
