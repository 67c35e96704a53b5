/**
 * Sign-in throttling. Wrong passwords are counted per account and per
 * address (in the database, so every instance counts together). Past
 * `slowAfter` failures each try must wait — 1 s, then twice as long after
 * every further failure, at most a minute — and past `lockAfter` sign-in is
 * refused until `lockMs` after the last failure. A refused try does not
 * check the password and does not count, so a lock ends on time.
 */
import type { AdminConfig } from '../config/index.ts';
import type { SignInFailures } from '../store/types.ts';

const MAX_DELAY_MS = 60_000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; locked: boolean; retryAfterMs: number };

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (ip: string) => `address:${ip}`;

/** Whether a sign-in may be tried now, given the failure counters of its account and address. */
export function throttleVerdict(config: AdminConfig['signIn'], counters: SignInFailures[], now: number): ThrottleVerdict {
  let wait = 0;
  let locked = false;
  for (const counter of counters) {
    const limits = counter.key.startsWith('address:') ? config.address : config.account;
    const last = counter.lastFailureAt.getTime();
    if (counter.failures >= limits.lockAfter) {
      const until = last + config.lockMs;
      if (until > now) {
        locked = true;
        wait = Math.max(wait, until - now);
      }
    } else if (counter.failures >= limits.slowAfter) {
      const delay = Math.min(1000 * 2 ** (counter.failures - limits.slowAfter), MAX_DELAY_MS);
      if (last + delay > now) wait = Math.max(wait, last + delay - now);
    }
  }
  return wait > 0 ? { allowed: false, locked, retryAfterMs: wait } : { allowed: true };
}
