import { randomBytes } from 'node:crypto';
import type { StoreContext } from '../store-context.ts';
import type { Store } from '../types.ts';

/**
 * `Idempotency-Key` records. A key is claimed by one upsert: a new key, one
 * whose answer has expired, or one whose claim outlived its lease without an
 * answer (the request holding it died), is taken by exactly one caller with a
 * fresh claim token; everyone else reads what is stored. Only the holder of
 * the current token may record the answer or give the key up, so a request
 * outlived by its lease can no longer commit.
 */
export function idempotencyKeyRecords({ db, values }: StoreContext): Store['idempotency'] {
  return {
    async claim(key, fingerprint, leaseUntil, now) {
      for (;;) {
        const token = randomBytes(16).toString('base64url');
        // While in flight, `expires_at` is the end of the lease; once answered, the end of the replay period.
        const fresh = { fingerprint, claim_token: token, response_status: null, response_body: null, expires_at: values.encodeDate(leaseUntil) };
        const claimed = await db
          .insertInto('idempotency_keys')
          .values({ key, ...fresh })
          .onConflict((conflict) => conflict
            .column('key')
            .doUpdateSet(fresh)
            .where('idempotency_keys.expires_at', '<=', values.encodeDate(now)))
          .returning('key')
          .executeTakeFirst();
        if (claimed !== undefined) return { claimed: true, token };

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

    async complete(key, token, response, expiresAt) {
      const recorded = await db
        .updateTable('idempotency_keys')
        .set({ response_status: response.status, response_body: values.encodeJson(response.body), claim_token: null, expires_at: values.encodeDate(expiresAt) })
        .where('key', '=', key)
        .where('claim_token', '=', token)
        .where('response_status', 'is', null)
        .executeTakeFirst();
      return recorded.numUpdatedRows > 0n;
    },

    async release(key, token) {
      await db
        .deleteFrom('idempotency_keys')
        .where('key', '=', key)
        .where('claim_token', '=', token)
        .where('response_status', 'is', null)
        .execute();
    },
  };
}
