/**
 * Upgrading a database written by an earlier version to migration 0003
 * (tenant uniqueness held by the database, one Redirect URI per Clever app):
 * duplicates the new unique indexes would reject stop the upgrade with a list
 * of what to fix, and nothing is dropped; a deployment that had a Clever app
 * keeps its deployment-wide Redirect URI for that app.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Migrator, type Kysely } from 'kysely';
import { redirectUriFor } from '../../src/connections/redirect-uri.ts';
import { openStore } from '../../src/store/index.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { openPostgres, postgresDialect } from '../../src/store/postgres/postgres-dialect.ts';
import { openSqlite, sqliteDialect } from '../../src/store/sqlite/sqlite-dialect.ts';
import { forEachDatabase, type EmptyTestDatabase, type TestDatabase } from '../support/databases.ts';

/** A database at migration 0002, as the previous release left it, with `rows` written by that release. */
async function previousRelease(database: TestDatabase, rows: (db: Kysely<any>) => Promise<void>): Promise<EmptyTestDatabase> {
  const empty = await database.create();
  const sqlite = empty.databaseUrl.startsWith('sqlite:');
  const db: Kysely<any> = sqlite ? openSqlite(empty.databaseUrl.slice('sqlite:'.length)) : openPostgres(empty.databaseUrl);
  try {
    const migrator = new Migrator({ db, provider: migrationProvider(sqlite ? sqliteDialect : postgresDialect) });
    const { error } = await migrator.migrateTo('0002-pending-login-attempts-index');
    if (error) throw error;
    await rows(db);
  } finally {
    await db.destroy();
  }
  return empty;
}

const now = (sqlite: boolean) => (sqlite ? Date.now() : new Date());

async function seed(db: Kysely<any>, sqlite: boolean, { duplicates }: { duplicates: boolean }) {
  const t = now(sqlite);
  const flag = sqlite ? 0 : false;
  await db.insertInto('settings').values({ id: 1, client_id: 'client_old', default_redirect_uri: null, default_role: 'member', created_at: t, updated_at: t }).execute();
  for (const id of ['org_a', 'org_b']) {
    await db.insertInto('organizations').values({ id, name: id, external_id: null, allow_profiles_outside_organization: flag, metadata: '{}', created_at: t, updated_at: t }).execute();
  }
  await db.insertInto('organization_domains').values({ id: 'dom_a', organization_id: 'org_a', domain: 'shared.example', state: 'verified', position: 0 }).execute();
  if (duplicates) await db.insertInto('organization_domains').values({ id: 'dom_b', organization_id: 'org_b', domain: 'shared.example', state: 'verified', position: 0 }).execute();
  const clever = (id: string, org: string) => ({
    id, organization_id: org, connection_type: 'CleverOIDC', name: id, state: 'active', client_id: 'old-clever-app', client_secret_encrypted: null,
    discovery_endpoint: 'https://clever.com/.well-known/openid-configuration', district_id: '53ee4b8a44abc88c1c00119b', role_mappings: '[]', validation_error: null, created_at: t, updated_at: t,
  });
  await db.insertInto('connections').values(clever('conn_a', 'org_a')).execute();
  if (duplicates) await db.insertInto('connections').values(clever('conn_b', 'org_b')).execute();
}

forEachDatabase('upgrading to migration 0003', (database) => {
  it('stops on duplicates, names each one and what to do, and drops nothing', async () => {
    const sqlite = database.name === 'sqlite';
    const old = await previousRelease(database, (db) => seed(db, sqlite, { duplicates: true }));
    try {
      await assert.rejects(openStore({ databaseUrl: old.databaseUrl, dataDir: old.dataDir }), (err: Error) => {
        assert.match(err.message, /0003-tenant-uniqueness-and-clever-apps/);
        assert.match(err.message, /Domain shared\.example is listed 2 times \(organizations org_a, org_b\)/);
        assert.match(err.message, /Clever district 53ee4b8a44abc88c1c00119b is served by 2 active connections of Clever app old-clever-app \(conn_a in org_a, conn_b in org_b\)/);
        assert.match(err.message, /inactive/);
        return true;
      });
      // Nothing was dropped: both duplicates are still there for the admin to resolve.
      const db: Kysely<any> = sqlite ? openSqlite(old.databaseUrl.slice('sqlite:'.length)) : openPostgres(old.databaseUrl);
      try {
        assert.equal((await db.selectFrom('organization_domains').select('id').where('domain', '=', 'shared.example').execute()).length, 2);
        assert.equal((await db.selectFrom('connections').select('id').execute()).length, 2);
      } finally {
        await db.destroy();
      }
    } finally {
      await old.cleanup();
    }
  });

  it('keeps the deployment-wide Clever Redirect URI for the Clever app it had; a new app gets its own', async () => {
    const sqlite = database.name === 'sqlite';
    const old = await previousRelease(database, (db) => seed(db, sqlite, { duplicates: false }));
    const store = await openStore({ databaseUrl: old.databaseUrl, dataDir: old.dataDir });
    try {
      const { firstCleverClientId } = await store.settings.get();
      assert.equal(firstCleverClientId, 'old-clever-app');
      const conn = (await store.connections.find('conn_a'))!;
      assert.equal(redirectUriFor('https://sso.example', conn, firstCleverClientId), 'https://sso.example/sso/clever/callback');
      assert.equal(redirectUriFor('https://sso.example', { ...conn, clientId: 'new-app' }, firstCleverClientId), 'https://sso.example/sso/clever/callback/new-app');
    } finally {
      await store.close();
      await old.cleanup();
    }
  });
});
