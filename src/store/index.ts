import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { HallpassError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { StoreDialect } from './dialect.ts';
import { withReadCache } from './read-cache.ts';
import { createKyselyStore } from './kysely-store.ts';
import { migrateToLatest } from './migrate.ts';
import { openPostgres, postgresDialect } from './postgres/postgres-dialect.ts';
import type { Database } from './schema.ts';
import { openSqlite, sqliteDialect, SQLITE_MEMORY } from './sqlite/sqlite-dialect.ts';
import type { Store } from './types.ts';

export type * from './types.ts';

export interface OpenStoreOptions {
  /**
   * `postgres://…` or `postgresql://…` for PostgreSQL; `sqlite:PATH` or
   * `sqlite::memory:` for SQLite; undefined for `<dataDir>/hallpass.sqlite`.
   */
  databaseUrl?: string | undefined;
  /** Where the default SQLite file lives (created if missing). */
  dataDir: string;
  logger?: Logger | undefined;
}

/**
 * Opens the database named by `databaseUrl` and brings its schema to the
 * latest version before returning. Migrations run under a lock (PostgreSQL:
 * an advisory lock; SQLite: the write lock), so several instances may start
 * together against one database.
 *
 * @throws HallpassError `database_unavailable` when the database cannot be
 *   reached or opened (the message names the host or file), `config_invalid`
 *   for a URL that is neither PostgreSQL nor SQLite.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { db, dialect } = openDatabase(options);
  try {
    const applied = await migrateToLatest(db, dialect);
    if (applied.length > 0) options.logger?.info({ migrations: applied }, 'database schema migrated');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return withReadCache(createKyselyStore(db, dialect));
}

function openDatabase({ databaseUrl, dataDir, logger }: OpenStoreOptions): { db: Kysely<Database>; dialect: StoreDialect } {
  if (databaseUrl === undefined) return { db: openSqlite(join(dataDir, 'hallpass.sqlite')), dialect: sqliteDialect };
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return { db: openPostgres(databaseUrl, logger), dialect: postgresDialect };
  if (databaseUrl.startsWith('sqlite:')) return { db: openSqlite(sqliteLocation(databaseUrl)), dialect: sqliteDialect };
  throw new HallpassError('config_invalid', 'DATABASE_URL must start with postgres://, postgresql:// or sqlite:.');
}

/** `sqlite::memory:` → in memory; `sqlite:PATH`, `sqlite://PATH` → the file PATH. */
function sqliteLocation(databaseUrl: string): string {
  const rest = databaseUrl.slice('sqlite:'.length);
  if (rest === SQLITE_MEMORY) return SQLITE_MEMORY;
  return rest.startsWith('//') ? rest.slice(2) : rest;
}
