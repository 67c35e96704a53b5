import type { StoreContext } from '../store-context.ts';
import type { Store } from '../types.ts';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Hourly counts of requests that left no login attempt. Counting is a map
 * update in memory (it sits on the path of floods); `flush()` adds what was
 * counted to the rows, one upsert per hour and reason, so instances sharing
 * a database add up. Counts not yet flushed when a process dies are lost,
 * which a counter can afford.
 */
export function loginCounterRecords({ db, values }: StoreContext): Store['loginCounters'] & { flush(): Promise<number> } {
  let pending = new Map<string, { hour: number; reason: string; count: number }>();

  return {
    increment(reason, at) {
      const hour = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
      const id = `${hour} ${reason}`;
      const entry = pending.get(id);
      if (entry) entry.count += 1;
      else pending.set(id, { hour, reason, count: 1 });
    },

    async list(since) {
      const rows = await db
        .selectFrom('login_counters')
        .selectAll()
        .where('hour', '>=', values.encodeDate(new Date(Math.floor(since.getTime() / HOUR_MS) * HOUR_MS)))
        .orderBy('hour')
        .orderBy('reason')
        .execute();
      return rows.map((row) => ({ hour: values.decodeDate(row.hour), reason: row.reason, count: Number(row.count) }));
    },

    /** Writes what was counted since the last flush; returns how many rows it wrote. */
    async flush() {
      const entries = [...pending.values()];
      pending = new Map();
      let written = 0;
      try {
        for (const entry of entries) {
          await db
            .insertInto('login_counters')
            .values({ hour: values.encodeDate(new Date(entry.hour)), reason: entry.reason, count: entry.count })
            .onConflict((conflict) => conflict
              .columns(['hour', 'reason'])
              .doUpdateSet((eb) => ({ count: eb('login_counters.count', '+', eb.ref('excluded.count')) })))
            .execute();
          written += 1;
        }
      } catch (error) {
        // Keep what was not written for the next flush (the database may be back by then).
        for (const entry of entries.slice(written)) {
          const id = `${entry.hour} ${entry.reason}`;
          const later = pending.get(id);
          if (later) later.count += entry.count;
          else pending.set(id, entry);
        }
        throw error;
      }
      return written;
    },
  };
}
