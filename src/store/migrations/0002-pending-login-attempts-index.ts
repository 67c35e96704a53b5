import type { Kysely, Migration } from 'kysely';

/**
 * Lets the sweep find logins left unfinished (`outcome = 'pending'`, not
 * updated for a while) without scanning the whole, ever-growing history.
 */
export function pendingLoginAttemptsIndex(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('login_attempts_outcome_updated_at').on('login_attempts').columns(['outcome', 'updated_at']).execute();
    },
  };
}
