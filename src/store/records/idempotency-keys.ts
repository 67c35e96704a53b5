import type { StoreContext } from '../store-context.ts';
import type { Store } from '../types.ts';

/**
 * `Idempotency-Key` replays. The claim is one upsert: a new key, or one whose
 * record has expired, is taken by exactly one caller; everyone else reads what
 * the first caller stored.
 */
export function idempotencyKeyRecords({ db, values }: StoreContext): Store['idempotency'] {
  return {
    async claim(key, fingerprint, expiresAt) {
      for (;;) {
        const fresh = { fingerprint, response_status: null, response_body: null, expires_at: values.encodeDate(expiresAt) };
        const claimed = await db
          .insertInto('idempotency_keys')
          .values({ key, ...fresh })
          .onConflict((conflict) => conflict
            .column('key')
            .doUpdateSet(fresh)
            .where('idempotency_keys.expires_at', '<=', values.encodeDate(new Date())))
          .returning('key')
          .executeTakeFirst();
        if (claimed !== undefined) return { claimed: true };

        const existing = await db
          .selectFrom('idempotency_keys')
          .select(['fingerprint', 'response_status', 'response_body'])
          .where('key', '=', key)
          .executeTakeFirst();
        // Swept between the two statements: claim again.
        if (existing === undefined) continue;
        if (existing.fingerprint !== fingerprint) return { claimed: false, conflict: true, response: undefined };
        const response = existing.response_status === null
          ? undefined
          : { status: existing.response_status, body: values.decodeJson(existing.response_body) };
        return { claimed: false, conflict: false, response };
      }
    },

    async complete(key, response) {
      await db
        .updateTable('idempotency_keys')
        .set({ response_status: response.status, response_body: values.encodeJson(response.body) })
        .where('key', '=', key)
        .execute();
    },
  };
}
