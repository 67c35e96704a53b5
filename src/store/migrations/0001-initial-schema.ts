import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect.ts';

/**
 * The first schema. Written once for both databases: the only differences are
 * the column types for timestamps, booleans and JSON, taken from the dialect.
 * Every query the store makes is served by a primary key or one of the indexes
 * below (the login path reads by key only).
 */
export function initialSchema({ columnTypes: t }: StoreDialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('settings')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('default_redirect_uri', 'text')
        .addColumn('default_role', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('redirect_uris')
        .addColumn('uri', 'text', (c) => c.primaryKey())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('last_four', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_used_at', t.timestamp)
        .execute();

      await db.schema
        .createTable('organizations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.unique())
        .addColumn('allow_profiles_outside_organization', t.boolean, (c) => c.notNull())
        .addColumn('metadata', t.json, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('organization_domains')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('organization_domains_organization_id').on('organization_domains').columns(['organization_id', 'position']).execute();
      await db.schema.createIndex('organization_domains_domain').on('organization_domains').column('domain').execute();

      await db.schema
        .createTable('connections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('connection_type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text')
        .addColumn('client_secret_encrypted', 'text')
        .addColumn('discovery_endpoint', 'text')
        .addColumn('district_id', 'text')
        .addColumn('role_mappings', t.json, (c) => c.notNull())
        .addColumn('validation_error', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('connections_organization_id').on('connections').columns(['organization_id', 'id']).execute();
      // Serves both findActiveCleverByDistrict and activeCleverApps.
      await db.schema.createIndex('connections_type_state_district').on('connections').columns(['connection_type', 'state', 'district_id']).execute();

      await db.schema
        .createTable('login_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // No foreign keys: the history outlives deleted connections and organizations.
        .addColumn('connection_id', 'text')
        .addColumn('organization_id', 'text')
        .addColumn('initiated_by', 'text', (c) => c.notNull())
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_description', 'text')
        .addColumn('upstream_error', 'text')
        .addColumn('district_id', 'text')
        .addColumn('idp_id', 'text')
        .addColumn('email', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_attempts_connection_id').on('login_attempts').columns(['connection_id', 'id']).execute();
      await db.schema.createIndex('login_attempts_organization_id').on('login_attempts').columns(['organization_id', 'id']).execute();

      await db.schema
        .createTable('authorization_states')
        .addColumn('state', 'text', (c) => c.primaryKey())
        .addColumn('connection_id', 'text')
        .addColumn('connection_type', 'text', (c) => c.notNull())
        .addColumn('browser_binding_hash', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('app_redirect_uri', 'text', (c) => c.notNull())
        .addColumn('app_state', 'text')
        .addColumn('app_code_challenge', 'text')
        .addColumn('login_attempt_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('authorization_codes')
        .addColumn('code_hash', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('code_challenge', 'text')
        .addColumn('profile', t.json, (c) => c.notNull())
        .addColumn('login_attempt_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('access_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('profile', t.json, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('response_status', 'integer')
        .addColumn('response_body', t.json)
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .execute();

      // The sweep deletes by expiry.
      for (const table of ['authorization_states', 'authorization_codes', 'access_tokens', 'idempotency_keys']) {
        await db.schema.createIndex(`${table}_expires_at`).on(table).column('expires_at').execute();
      }
    },
  };
}
