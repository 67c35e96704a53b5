import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { HallpassError } from '../../src/errors.ts';
import { openStore } from '../../src/store/index.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { NodeSqliteDatabase } from '../../src/store/sqlite/node-sqlite-database.ts';
import { sqliteDialect } from '../../src/store/sqlite/sqlite-dialect.ts';
import { forEachDatabase, type EmptyTestDatabase } from '../support/databases.ts';

/** Every migration's name, in order (the same list for both databases). */
const EVERY_MIGRATION = Object.keys(await migrationProvider(sqliteDialect).getMigrations()).sort();

/** Names of the migrations recorded in a database, read without going through the store. */
async function appliedMigrations(databaseUrl: string): Promise<string[]> {
  const db = databaseUrl.startsWith('sqlite:')
    ? new Kysely<any>({ dialect: new SqliteDialect({ database: new NodeSqliteDatabase(new DatabaseSync(databaseUrl.slice('sqlite:'.length))) }) })
    : new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 1 }) }) });
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    return rows.map((r) => r.name);
  } finally {
    await db.destroy();
  }
}

forEachDatabase('openStore migrations', (database) => {
  it('lets several instances start together on a fresh database; the schema is made once', async () => {
    const empty: EmptyTestDatabase = await database.create();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ databaseUrl: empty.databaseUrl, dataDir: empty.dataDir })));
      try {
        assert.deepEqual(await appliedMigrations(empty.databaseUrl), EVERY_MIGRATION);
        const clientIds = new Set<string>();
        for (const store of stores) clientIds.add((await store.settings.get()).clientId);
        assert.equal(clientIds.size, 1, 'every instance sees the same database');
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
      // A restart finds nothing to do and keeps the data.
      const again = await openStore({ databaseUrl: empty.databaseUrl, dataDir: empty.dataDir });
      assert.equal((await again.settings.get()).clientId.startsWith('client_'), true);
      await again.close();
      assert.deepEqual(await appliedMigrations(empty.databaseUrl), EVERY_MIGRATION);
    } finally {
      await empty.cleanup();
    }
  });
});

describe('openStore', () => {
  it('uses <dataDir>/hallpass.sqlite when no database URL is given, creating the folder', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'hallpass-test-'));
    try {
      const dataDir = join(parent, 'nested', 'data');
      const store = await openStore({ dataDir });
      assert.equal(store.dialect, 'sqlite');
      await store.settings.get();
      await store.close();
      assert.ok((await stat(join(dataDir, 'hallpass.sqlite'))).isFile());
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('opens an in-memory SQLite database for sqlite::memory:', async () => {
    const store = await openStore({ databaseUrl: 'sqlite::memory:', dataDir: '/nonexistent' });
    assert.match((await store.settings.get()).clientId, /^client_/);
    await store.close();
    await store.close();
  });

  it('names the host when PostgreSQL is unreachable', async () => {
    const error = await openStore({ databaseUrl: 'postgres://hallpass:s3cret@127.0.0.1:1/hallpass', dataDir: '/nonexistent' }).then(
      () => assert.fail('expected openStore to fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof HallpassError);
    assert.equal(error.code, 'database_unavailable');
    assert.match(error.message, /^PostgreSQL is not reachable at 127\.0\.0\.1:1\/hallpass: .*ECONNREFUSED/);
    assert.doesNotMatch(error.message, /s3cret/);
    assert.equal(error.expose, false);
  });

  it('says which SQLite file cannot be opened', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'hallpass-test-'));
    try {
      // The data "directory" is a file, so the database cannot be created under it.
      const dataDir = join(parent, 'not-a-directory');
      await writeFile(dataDir, '');
      await assert.rejects(openStore({ dataDir }), (e: unknown) =>
        e instanceof HallpassError && e.code === 'database_unavailable' && e.message.includes(join(dataDir, 'hallpass.sqlite')));
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('refuses a database URL of another kind', async () => {
    await assert.rejects(openStore({ databaseUrl: 'mysql://localhost/hallpass', dataDir: '/nonexistent' }), (e: unknown) =>
      e instanceof HallpassError && e.code === 'config_invalid');
  });
});
