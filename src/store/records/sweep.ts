import type { StoreContext } from '../store-context.ts';

/**
 * Wrong-password counters older than this count for nothing: it is the longest
 * lock HALLPASS_SIGN_IN_LOCK_MINUTES allows (1440 minutes).
 */
const SIGN_IN_FAILURES_KEPT_MS = 24 * 60 * 60 * 1000;

/** The tables whose rows are only useful until `expires_at`. */
const EXPIRING_TABLES = ['authorization_states', 'authorization_codes', 'access_tokens', 'idempotency_keys', 'admin_sessions', 'admin_invites'] as const;

/**
 * Deletes every expired state, code, token, idempotency record, admin session
 * and invitation, and stale wrong-password counters (an indexed range delete
 * per table). Login attempts are history and are kept; those left pending
 * are marked `abandoned`, so the log says what happened.
 *
 * @returns how many rows were deleted or marked.
 */
export function sweepExpired({ db, values }: StoreContext): (now: Date, abandonPendingBefore: Date) => Promise<number> {
  return async (now, abandonPendingBefore) => {
    let deleted = 0n;
    for (const table of EXPIRING_TABLES) {
      const result = await db.deleteFrom(table).where('expires_at', '<=', values.encodeDate(now)).executeTakeFirst();
      deleted += result.numDeletedRows;
    }
    const forgotten = await db
      .deleteFrom('admin_sign_in_failures')
      .where('last_failure_at', '<', values.encodeDate(new Date(now.getTime() - SIGN_IN_FAILURES_KEPT_MS)))
      .executeTakeFirst();
    deleted += forgotten.numDeletedRows;
    const abandoned = await db
      .updateTable('login_attempts')
      .set({ outcome: 'abandoned', updated_at: values.encodeDate(now) })
      .where('outcome', '=', 'pending')
      .where('updated_at', '<', values.encodeDate(abandonPendingBefore))
      .executeTakeFirst();
    return Number(deleted + abandoned.numUpdatedRows);
  };
}
