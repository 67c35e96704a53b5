import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect.ts';

/**
 * - `idempotency_keys.claim_token`: who holds an unanswered key, so only that
 *   request may record its answer (inside its own write's transaction) or
 *   give the key up, and a key held by a request that died is taken over when
 *   its lease (then its `expires_at`) passes.
 * - `login_attempts` are purged after the retention period and their personal
 *   data blanked sooner: an index on `created_at` for the first, and a partial
 *   one on the rows still holding personal data for the second, so neither
 *   scans the history.
 * - `login_counters`: requests that never reached a connection (untrusted
 *   client or redirect URI, a callback with an unknown state, a login started
 *   at the IdP that never came back) are counted per hour and reason instead
 *   of each leaving a row.
 * - `authorization_states.record_attempt_on_return`: a login started without
 *   a known connection gets its attempt row only when the browser comes back
 *   from the IdP; this says who started it.
 */
export function crashSafeIdempotencyAndBoundedLogs({ columnTypes: t }: StoreDialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('idempotency_keys').addColumn('claim_token', 'text').execute();

      await db.schema.createIndex('login_attempts_created_at').on('login_attempts').column('created_at').execute();
      await db.schema
        .createIndex('login_attempts_personal_data_created_at')
        .on('login_attempts')
        .column('created_at')
        .where(sql.ref('idp_id'), 'is not', null)
        .execute();

      await db.schema
        .createTable('login_counters')
        .addColumn('hour', t.timestamp, (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('login_counters_pkey', ['hour', 'reason'])
        .execute();

      await db.schema.alterTable('authorization_states').addColumn('record_attempt_on_return', 'text').execute();
    },
  };
}
