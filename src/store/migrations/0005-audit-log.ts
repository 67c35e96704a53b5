import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.ts';

/**
 * The audit log (every change an admin, an API key or a setup link makes),
 * and what the Sign-in sessions page shows beyond the first schema: the
 * person's name, the decoded claims and the time of each step.
 *
 * `audit_log` has no foreign keys: the history outlives what it describes.
 * Its pages are read by ID (ULIDs, so time order); the indexes serve the
 * filters an admin uses most: one target's history, one actor's changes.
 */
export function auditLog({ columnTypes: t }: StoreDialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text')
        .addColumn('changes', t.json, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id', 'id']).execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'id']).execute();

      await db.schema.alterTable('login_attempts').addColumn('name', 'text').execute();
      await db.schema.alterTable('login_attempts').addColumn('claims', t.json).execute();
      await db.schema.alterTable('login_attempts').addColumn('steps', 'text').execute();
      // The Clever page groups sign-ins by district.
      await db.schema.createIndex('login_attempts_district_id').on('login_attempts').columns(['district_id', 'created_at']).execute();
    },
  };
}
