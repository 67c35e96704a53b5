import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.ts';

/**
 * The dashboard's admin accounts, their sign-in sessions, invitations and
 * the counters that throttle wrong passwords. Sessions and counters live in
 * the database so several instances behind a load balancer agree on them.
 */
export function adminAccounts({ columnTypes: t }: StoreDialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('admins')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // Lower-cased before it is stored, so the constraint is case-insensitive.
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_sign_in_at', t.timestamp)
        .execute();

      await db.schema
        .createTable('admin_sessions')
        // SHA-256 of the cookie's value: the database alone opens no session.
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('admin_id', 'text', (c) => c.notNull().references('admins.id').onDelete('cascade'))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('admin_sessions_admin_id').on('admin_sessions').column('admin_id').execute();
      await db.schema.createIndex('admin_sessions_expires_at').on('admin_sessions').column('expires_at').execute();

      await db.schema
        .createTable('admin_invites')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('invited_by', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('admin_invites_expires_at').on('admin_invites').column('expires_at').execute();

      await db.schema
        .createTable('admin_sign_in_failures')
        // `account:<email>` or `address:<ip>`.
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('first_failure_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_failure_at', t.timestamp, (c) => c.notNull())
        .execute();
      // The sweep forgets old counters by this column.
      await db.schema.createIndex('admin_sign_in_failures_last_failure_at').on('admin_sign_in_failures').column('last_failure_at').execute();
    },
  };
}
