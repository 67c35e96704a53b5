/**
 * Every number and switch of one sandbox, with its default, in one place.
 * `startCleverSandbox` and `buildCleverSandbox` take them as options, and
 * `hallpass sandbox clever` as command-line flags (docs/sandbox.md lists both).
 */
import { z } from 'zod';

/**
 * Which shape of ID token and `/userinfo` answer the sandbox gives.
 *
 * - `current`: as Clever's "OIDC Implementation" and "The /userinfo Endpoint"
 *   pages describe them today: the ID token names the district in `district`,
 *   `user_type` is `student`, `teacher`, `staff` or `district admin`, and
 *   `/userinfo` adds `district_id`, `district`, `schools` and `authorized_by`.
 * - `legacy`: the older shape of Clever's District SSO overview (seed 001):
 *   `district_id` in the ID token, `user_type` `school_admin` / `district_admin`.
 */
export const claimShapes = ['current', 'legacy'] as const;
export type ClaimShape = (typeof claimShapes)[number];
export const defaultClaimShape: ClaimShape = 'current';

/**
 * For tests of clients, not Clever behaviour: rewrites the user claims of
 * every ID token (before signing) or `/userinfo` answer, e.g. to drop the
 * district or send two that disagree. Claims set to `undefined` are left out.
 */
export interface ClaimRewrites {
  idToken?: (claims: Record<string, unknown>) => Record<string, unknown>;
  userinfo?: (claims: Record<string, unknown>) => Record<string, unknown>;
}

const positiveMs = z.number().int().min(1).max(24 * 60 * 60 * 1000);

export const settingsSchema = z
  .strictObject({
    /** Data API and `/userinfo` requests one access token may make per window; Clever allows 1,200 a minute. */
    rateLimit: z
      .strictObject({
        max: z.number().int().min(1).max(1_000_000).default(1200),
        windowMs: positiveMs.default(60_000),
      })
      .prefault({}),
    /**
     * Logins waiting on a sandbox page (school picker, login form, role
     * picker). Past this many, the oldest is forgotten (its pages then say
     * to start again), so a flood of unfinished logins cannot grow memory.
     */
    maxPendingLogins: z.number().int().min(1).max(1_000_000).default(1000),
    /** Browser sessions (anonymous ones hold a login form's CSRF token); past this many the oldest ends. */
    maxBrowserSessions: z.number().int().min(1).max(1_000_000).default(10_000),
    timeouts: z
      .strictObject({
        /** All request headers must arrive within this time of the connection or of the previous answer. */
        headersMs: positiveMs.default(10_000),
        /** The whole request, headers and body, must arrive within this time. */
        requestMs: positiveMs.default(30_000),
        /** An idle keep-alive connection is closed after this time (Node adds up to one second). */
        keepAliveMs: positiveMs.default(5_000),
        /** A connection on which nothing moves for this long is closed, even in the middle of a body. */
        idleMs: positiveMs.default(15_000),
      })
      .prefault({})
      .refine((t) => t.headersMs <= t.requestMs, { message: 'the headers timeout must not exceed the request timeout', path: ['headersMs'] }),
  })
  .prefault({});

/** A sandbox's settings, defaults applied. */
export type SandboxSettings = z.output<typeof settingsSchema>;
/** What callers may pass: any subset, nested objects included. */
export type SandboxSettingsInput = z.input<typeof settingsSchema>;

/** Applies the defaults; an out-of-range value throws an Error naming it, e.g. `timeouts.headersMs: …`. */
export function resolveSettings(input: SandboxSettingsInput | undefined): SandboxSettings {
  const result = settingsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`);
  throw new Error(`sandbox settings: ${problems.join('; ')}`);
}

/**
 * How often Node looks for connections past their headers or request
 * timeout. Node's own default, 30 seconds, would let a stalled socket live
 * far past a 10-second timeout; a quarter of the shortest timeout, at most a
 * second, keeps the overshoot small at no real cost.
 */
export function connectionsCheckingIntervalMs(timeouts: SandboxSettings['timeouts']): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4)));
}
