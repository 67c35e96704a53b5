import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.ts';

/**
 * Setup links (issue 7): a link the vendor sends to a customer's IT admin,
 * who sets up their organization's connection through it without an account.
 * The token is stored as its SHA-256 only (`token_hash`, unique); a link dies
 * with its organization.
 */
export function setupLinks({ columnTypes: t }: StoreDialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('setup_links')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('intent', 'text', (c) => c.notNull())
        .addColumn('made_through', 'text', (c) => c.notNull())
        .addColumn('clever_client_id', 'text')
        .addColumn('return_url', 'text')
        .addColumn('success_url', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('first_opened_at', t.timestamp)
        .addColumn('last_used_at', t.timestamp)
        .addColumn('revoked_at', t.timestamp)
        .execute();
      await db.schema.createIndex('setup_links_organization').on('setup_links').columns(['organization_id', 'created_at']).execute();
    },
  };
}
