/**
 * Fresh, isolated databases for tests, so one suite runs on SQLite and on
 * PostgreSQL alike.
 *
 * ```ts
 * import { afterEach, beforeEach, it } from 'node:test';
 * import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
 *
 * forEachDatabase('organizations', (database) => {
 *   let db: OpenTestDatabase;
 *   beforeEach(async () => { db = await database.open(); });
 *   afterEach(() => db.cleanup());
 *   it('creates one', async () => { await db.store.organizations.create(...); });
 * });
 * ```
 *
 * - SQLite: a file in a new temporary directory (also handed out as `dataDir`).
 * - PostgreSQL: a new database `hallpass_test_<random>` on the server at
 *   `HALLPASS_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`),
 *   dropped by `cleanup()`.
 *
 * When PostgreSQL is not reachable, its variant is skipped with the reason,
 * except in CI (`CI=true`), where its tests fail instead.
 *
 * To start a server on the same database, pass `databaseUrl` to it. On SQLite,
 * two stores in one process share the file through two connections; keep their
 * writes from overlapping (await one before the other), since SQLite's busy
 * wait is synchronous.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/index.ts';
import { describePostgresTarget } from '../../src/store/postgres/postgres-dialect.ts';
import type { Store } from '../../src/store/types.ts';

/** A database that exists but has no schema yet (for tests of `openStore` itself). */
export interface EmptyTestDatabase {
  /** What to give `openStore` or `DATABASE_URL`. */
  databaseUrl: string;
  /** A fresh temporary directory, removed by `cleanup()`. */
  dataDir: string;
  /** Drops the database and removes `dataDir`. Close your stores first. */
  cleanup(): Promise<void>;
}

/** A migrated database with a store open on it. */
export interface OpenTestDatabase extends EmptyTestDatabase {
  store: Store;
  /** Closes `store`, then drops the database and removes `dataDir`. */
  cleanup(): Promise<void>;
}

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** Why this variant is skipped here, or undefined when it runs. */
  skip: string | undefined;
  /** A new empty database. */
  create(): Promise<EmptyTestDatabase>;
  /** A new database, migrated, with a store open on it. */
  open(): Promise<OpenTestDatabase>;
}

/** The server on which test databases are created (any database on it will do). */
export const postgresServerUrl = process.env.HALLPASS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const postgresProblem = await probePostgres();

const sqlite: TestDatabase = {
  name: 'sqlite',
  skip: undefined,
  async create() {
    const dataDir = await mkdtemp(join(tmpdir(), 'hallpass-test-'));
    return {
      databaseUrl: `sqlite:${join(dataDir, 'hallpass.sqlite')}`,
      dataDir,
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
  open: () => openOn(sqlite),
};

const postgres: TestDatabase = {
  name: 'postgres',
  skip: postgresProblem !== undefined && process.env.CI !== 'true' ? postgresProblem : undefined,
  async create() {
    if (postgresProblem !== undefined) throw new Error(postgresProblem);
    const name = `hallpass_test_${randomBytes(6).toString('hex')}`;
    await onServer(`CREATE DATABASE ${name}`);
    const databaseUrl = new URL(postgresServerUrl);
    databaseUrl.pathname = `/${name}`;
    const dataDir = await mkdtemp(join(tmpdir(), 'hallpass-test-'));
    return {
      databaseUrl: databaseUrl.href,
      dataDir,
      async cleanup() {
        // FORCE: a test that failed midway may have left connections open.
        await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
  open: () => openOn(postgres),
};

/** Every supported database, SQLite first. */
export const databases: readonly TestDatabase[] = [sqlite, postgres];

/**
 * Defines the same suite once per database, as `describe('<title> [sqlite]')`
 * and `describe('<title> [postgres]')`, skipping a variant that cannot run here.
 */
export function forEachDatabase(title: string, define: (database: TestDatabase) => void): void {
  for (const database of databases) {
    describe(`${title} [${database.name}]`, { skip: database.skip }, () => define(database));
  }
}

async function openOn(database: TestDatabase): Promise<OpenTestDatabase> {
  const empty = await database.create();
  try {
    const store = await openStore({ databaseUrl: empty.databaseUrl, dataDir: empty.dataDir });
    return {
      ...empty,
      store,
      async cleanup() {
        await store.close();
        await empty.cleanup();
      },
    };
  } catch (error) {
    await empty.cleanup();
    throw error;
  }
}

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresServerUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Undefined when the PostgreSQL server answers; otherwise why not. */
async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: postgresServerUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `PostgreSQL not reachable at ${describePostgresTarget(postgresServerUrl)} (${reason}): start it or set HALLPASS_TEST_POSTGRES_URL; CI runs these`;
  }
}
