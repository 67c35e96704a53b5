import { sql } from 'kysely';
import type { StoreContext } from '../store-context.ts';
import type { Store } from '../types.ts';

/**
 * Counters of wrong passwords per account and per address. One upsert per
 * key, so instances sharing PostgreSQL count together.
 */
export function signInFailureRecords({ db, values }: StoreContext): Store['signInFailures'] {
  return {
    async read(keys, since) {
      if (keys.length === 0) return [];
      const rows = await db
        .selectFrom('admin_sign_in_failures')
        .selectAll()
        .where('key', 'in', keys)
        .where('last_failure_at', '>', values.encodeDate(since))
        .execute();
      return rows.map((row) => ({
        key: row.key,
        failures: Number(row.failures),
        firstFailureAt: values.decodeDate(row.first_failure_at),
        lastFailureAt: values.decodeDate(row.last_failure_at),
      }));
    },

    async record(keys, now, resetBefore) {
      const at = values.encodeDate(now);
      const reset = values.encodeDate(resetBefore);
      for (const key of keys) {
        await db
          .insertInto('admin_sign_in_failures')
          .values({ key, failures: 1, first_failure_at: at, last_failure_at: at })
          .onConflict((conflict) =>
            conflict.column('key').doUpdateSet({
              // A counter left alone for the whole window starts again.
              failures: sql<number>`case when admin_sign_in_failures.last_failure_at < ${reset} then 1 else admin_sign_in_failures.failures + 1 end`,
              first_failure_at: sql<number>`case when admin_sign_in_failures.last_failure_at < ${reset} then ${at} else admin_sign_in_failures.first_failure_at end`,
              last_failure_at: at,
            }),
          )
          .execute();
      }
    },

    async clear(key) {
      await db.deleteFrom('admin_sign_in_failures').where('key', '=', key).execute();
    },
  };
}
