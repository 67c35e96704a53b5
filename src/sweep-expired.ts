/**
 * Deletes expired login states, codes, access tokens and idempotency records
 * once a minute, so abandoned logins do not accumulate, and marks the log
 * entries of logins left unfinished as abandoned. Keeps the login history
 * bounded: attempts older than `HALLPASS_LOGIN_RETENTION_DAYS` are deleted
 * and who signed in is blanked after `HALLPASS_LOGIN_PERSONAL_DATA_DAYS`.
 * Writes the instance's counters of requests that left no attempt. Every
 * instance sweeps; the deletes are idempotent and the counters add up, so
 * several instances sharing a database is fine.
 */
import type { HallpassContext } from './context.ts';
import { LOGIN_LIFETIME_MS } from './sso/browser-binding.ts';
import type { LoginRetention } from './store/types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The retention cut-offs at `now`, from the configuration. */
function loginRetention(ctx: HallpassContext, now: number): LoginRetention {
  const { loginDays, personalDataDays } = ctx.config.retention;
  return { deleteBefore: new Date(now - loginDays * DAY_MS), blankPersonalDataBefore: new Date(now - personalDataDays * DAY_MS) };
}

export const SWEEP_INTERVAL_MS = 60_000;

/** Starts the periodic sweep; returns a function that stops it. */
export function startSweeping(ctx: HallpassContext, intervalMs = SWEEP_INTERVAL_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    ctx.store
      // A login unfinished after twice its lifetime (IdP round trip, then the app's 10-minute code) was abandoned.
      .sweep(new Date(ctx.now()), new Date(ctx.now() - 2 * LOGIN_LIFETIME_MS), loginRetention(ctx, ctx.now()))
      .then((deleted) => {
        if (deleted > 0) ctx.logger.debug({ deleted }, 'expired login records swept');
      })
      .catch((err: unknown) => ctx.logger.warn({ err }, 'sweeping expired login records failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  // The sweep never keeps the process alive on its own.
  timer.unref();
  return () => clearInterval(timer);
}
