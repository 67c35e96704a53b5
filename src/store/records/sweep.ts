import type { StoreContext } from '../store-context.ts';
import type { LoginRetention } from '../types.ts';

/**
 * Wrong-password counters older than this count for nothing: it is the longest
 * lock HALLPASS_SIGN_IN_LOCK_MINUTES allows (1440 minutes).
 */
const SIGN_IN_FAILURES_KEPT_MS = 24 * 60 * 60 * 1000;

/** The tables whose rows are only useful until `expires_at`. */
const EXPIRING_TABLES = ['authorization_states', 'authorization_codes', 'access_tokens', 'idempotency_keys', 'admin_sessions', 'admin_invites'] as const;
/** Old login attempts are deleted in batches, so one sweep never holds a long lock on a big history. */
const DELETE_BATCH = 5_000;

/**
 * Deletes every expired state, code, token, idempotency record, admin session
 * and invitation, and stale wrong-password counters (an indexed range delete
 * per table). Login attempts left pending are marked `abandoned`, so the log
 * says what happened. With a retention, attempts and counters older than it
 * are deleted, and who signed in (IdP user ID, email, name, decoded claims)
 * is blanked on attempts older than the personal-data retention.
 *
 * @returns how many rows were deleted or changed.
 */
export function sweepExpired({ db, values }: StoreContext, flushCounters: () => Promise<number>): (now: Date, abandonPendingBefore: Date, retention?: LoginRetention) => Promise<number> {
  return async (now, abandonPendingBefore, retention) => {
    let changed = BigInt(await flushCounters());
    for (const table of EXPIRING_TABLES) {
      const result = await db.deleteFrom(table).where('expires_at', '<=', values.encodeDate(now)).executeTakeFirst();
      changed += result.numDeletedRows;
    }
    const forgotten = await db
      .deleteFrom('admin_sign_in_failures')
      .where('last_failure_at', '<', values.encodeDate(new Date(now.getTime() - SIGN_IN_FAILURES_KEPT_MS)))
      .executeTakeFirst();
    changed += forgotten.numDeletedRows;
    const abandoned = await db
      .updateTable('login_attempts')
      .set({ outcome: 'abandoned', updated_at: values.encodeDate(now) })
      .where('outcome', '=', 'pending')
      .where('updated_at', '<', values.encodeDate(abandonPendingBefore))
      .executeTakeFirst();
    changed += abandoned.numUpdatedRows;
    if (retention === undefined) return Number(changed);

    const cutoff = values.encodeDate(retention.deleteBefore);
    for (;;) {
      const batch = await db
        .deleteFrom('login_attempts')
        .where('id', 'in', (qb) => qb.selectFrom('login_attempts').select('id').where('created_at', '<', cutoff).limit(DELETE_BATCH))
        .executeTakeFirst();
      changed += batch.numDeletedRows;
      if (batch.numDeletedRows < BigInt(DELETE_BATCH)) break;
    }
    const counters = await db.deleteFrom('login_counters').where('hour', '<', cutoff).executeTakeFirst();
    changed += counters.numDeletedRows;
    // Served by the partial index on rows that still hold personal data (an IdP user ID comes with every email).
    const blanked = await db
      .updateTable('login_attempts')
      .set({ idp_id: null, email: null, name: null, claims: null })
      .where('idp_id', 'is not', null)
      .where('created_at', '<', values.encodeDate(retention.blankPersonalDataBefore))
      .executeTakeFirst();
    changed += blanked.numUpdatedRows;
    return Number(changed);
  };
}
