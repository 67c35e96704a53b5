import { Migrator, type Kysely } from 'kysely';
import type { StoreDialect } from './dialect.ts';
import { migrationProvider } from './migrations/index.ts';

/**
 * Brings the schema to the latest version. The whole run, including Kysely's
 * creation of its bookkeeping tables, happens under the dialect's migration
 * lock on a single connection, so instances that start together take turns and
 * the second one finds nothing left to do.
 *
 * @returns the names of the migrations this call applied.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: StoreDialect): Promise<string[]> {
  return dialect.withMigrationLock(db, async (connection) => {
    const migrator = new Migrator({ db: connection, provider: migrationProvider(dialect) });
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results.find((r) => r.status === 'Error')?.migrationName;
      if (failed === undefined) throw error;
      throw new Error(`Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  });
}

/**
 * The migrations this code knows that the database has not applied; empty
 * when the schema is current. Reads only (creates nothing), so a readiness
 * probe may call it as often as it likes.
 */
export async function pendingMigrations(db: Kysely<any>, dialect: StoreDialect): Promise<string[]> {
  const migrations = await new Migrator({ db, provider: migrationProvider(dialect) }).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
