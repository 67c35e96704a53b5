import type { StoreContext } from '../store-context.ts';

/** The tables whose rows are only useful until `expires_at`. */
const EXPIRING_TABLES = ['authorization_states', 'authorization_codes', 'access_tokens', 'idempotency_keys', 'admin_sessions', 'admin_invites'] as const;

/**
 * Deletes every expired state, code, token and idempotency record (an indexed
 * range delete per table). Login attempts are history and are kept; those
 * left pending are marked `abandoned`, so the log says what happened.
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
    const abandoned = await db
      .updateTable('login_attempts')
      .set({ outcome: 'abandoned', updated_at: values.encodeDate(now) })
      .where('outcome', '=', 'pending')
      .where('updated_at', '<', values.encodeDate(abandonPendingBefore))
      .executeTakeFirst();
    return Number(deleted + abandoned.numUpdatedRows);
  };
}
