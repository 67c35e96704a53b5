import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { HallpassError } from '../../errors.ts';
import type { DbBoolean, DbTimestamp, StoreDialect } from '../dialect.ts';
import type { Database } from '../schema.ts';
import { NodeSqliteDatabase } from './node-sqlite-database.ts';

/** How long a write waits for another process's write to finish before failing. */
const BUSY_TIMEOUT_MS = 5_000;
/** How long a starting instance waits for another one's migrations. */
const MIGRATION_LOCK_TIMEOUT_MS = 60_000;
const MIGRATION_LOCK_RETRY_MS = 25;
const SQLITE_BUSY = 5;

/** The in-memory database location, for tests (`sqlite::memory:`). */
export const SQLITE_MEMORY = ':memory:';

/** SQLite stores dates as epoch milliseconds, booleans as 0/1 and JSON as text. */
export const sqliteDialect: StoreDialect = {
  name: 'sqlite',
  columnTypes: { timestamp: 'integer', boolean: 'integer', json: 'text' },
  // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
  isUniqueViolation: (error) => [2067, 1555].includes((error as { errcode?: number } | null)?.errcode ?? 0),
  values: {
    encodeDate: (date: Date): DbTimestamp => date.getTime(),
    decodeDate: (value: DbTimestamp): Date => new Date(value),
    encodeBoolean: (value: boolean): DbBoolean => (value ? 1 : 0),
    decodeBoolean: (value: DbBoolean): boolean => value === 1 || value === true,
    encodeJson: (value: unknown): string => JSON.stringify(value),
    decodeJson: <T>(value: unknown): T => JSON.parse(value as string) as T,
  },
  withMigrationLock: (db, run) => db.connection().execute(async (connection) => {
    await beginImmediate(connection);
    try {
      const result = await run(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  }),
};

/**
 * Opens (creating the file and its folder if needed) a SQLite database with
 * the settings Hallpass relies on: WAL so readers never wait for the writer,
 * `synchronous=NORMAL` (durable at checkpoints, safe against corruption),
 * a busy timeout for writes from other processes, and foreign keys enforced.
 *
 * @param location a file path, or {@link SQLITE_MEMORY}.
 * @throws HallpassError `database_unavailable` when the file cannot be opened.
 */
export function openSqlite(location: string): Kysely<Database> {
  let database: DatabaseSync;
  try {
    if (location !== SQLITE_MEMORY) mkdirSync(dirname(location), { recursive: true });
    database = new DatabaseSync(location, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
    database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    // SQLite's own lower() folds ASCII only; searches (e.g. a person's name) fold like PostgreSQL's.
    database.function('lower', { deterministic: true }, (value) => (typeof value === 'string' ? value.toLowerCase() : value));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HallpassError('database_unavailable', `The SQLite database ${location} could not be opened: ${reason}`, { cause: error });
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: new NodeSqliteDatabase(database) }) });
}

/**
 * Takes SQLite's write lock for the whole migration run, so a second process
 * (or a second store in this process) waits and then finds the schema current.
 * node:sqlite's busy handler would block the event loop while waiting, which
 * deadlocks two stores in one process; so the wait here is asynchronous.
 */
async function beginImmediate(connection: Kysely<any>): Promise<void> {
  await sql.raw('PRAGMA busy_timeout = 0').execute(connection);
  try {
    const deadline = Date.now() + MIGRATION_LOCK_TIMEOUT_MS;
    for (;;) {
      try {
        await sql`begin immediate`.execute(connection);
        return;
      } catch (error) {
        if ((error as { errcode?: number }).errcode !== SQLITE_BUSY || Date.now() > deadline) throw error;
        await sleep(MIGRATION_LOCK_RETRY_MS);
      }
    }
  } finally {
    await sql.raw(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).execute(connection);
  }
}
