import pg from 'pg';
import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { countDatabaseError } from '../../metrics.ts';
import { HallpassError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { DbBoolean, DbTimestamp, StoreDialect } from '../dialect.ts';
import type { Database } from '../schema.ts';

/** Hallpass's key for `pg_advisory_lock` ("Hall" in ASCII), held while migrating. */
const MIGRATION_LOCK_KEY = 0x48616c6c;
/** Connections per instance; a login's few statements each hold one only briefly. */
const POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * PostgreSQL stores `timestamptz`, `boolean` and `json`; its driver decodes them
 * itself. `json`, not `jsonb`: nothing queries inside these documents, and
 * `json` keeps the text as given, so a profile's keys come back in the same
 * order as on SQLite (`jsonb` reorders them).
 */
export const postgresDialect: StoreDialect = {
  name: 'postgres',
  columnTypes: { timestamp: 'timestamptz', boolean: 'boolean', json: 'json' },
  // SQLSTATE 23505: unique_violation.
  isUniqueViolation: (error) => (error as { code?: unknown } | null)?.code === '23505',
  values: {
    encodeDate: (date: Date): DbTimestamp => date,
    decodeDate: (value: DbTimestamp): Date => (value instanceof Date ? value : new Date(value)),
    encodeBoolean: (value: boolean): DbBoolean => value,
    decodeBoolean: (value: DbBoolean): boolean => value === true,
    // Always text: node-postgres would turn a JS array into a PostgreSQL array, not JSON.
    encodeJson: (value: unknown): string => JSON.stringify(value),
    // node-postgres parses `json` columns already.
    decodeJson: <T>(value: unknown): T => value as T,
  },
  // A session-level advisory lock on the one connection the migrations run on;
  // another instance's `pg_advisory_lock` waits until this one is done.
  withMigrationLock: (db, run) => db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
    try {
      return await run(connection);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
    }
  }),
};

/**
 * A Kysely instance over a node-postgres pool. Connections are made lazily, on
 * the first query; a failure to connect (refused, unknown host, timeout, bad
 * credentials, missing database) is translated here, where it enters, into
 * `database_unavailable` naming the server, never the password.
 */
export function openPostgres(databaseUrl: string, logger?: Logger): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', (error) => logger?.warn({ err: error }, 'PostgreSQL connection lost'));
  // A connection in use when the server goes away also emits 'error' (besides failing its
  // query), and the pool listens only on idle ones: unheard, it would crash the process.
  pool.on('connect', (client) => client.on('error', (error) => logger?.warn({ err: error }, 'PostgreSQL connection lost while in use')));
  const target = describePostgresTarget(databaseUrl);
  const unavailable = (error: unknown) => {
    countDatabaseError('unavailable');
    const reason = error instanceof Error ? error.message : String(error);
    return new HallpassError('database_unavailable', `PostgreSQL is not reachable at ${target}: ${reason}`, { cause: error });
  };
  // One wrapper per pooled client, so Kysely's per-client bookkeeping keeps working.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const translatingPool: PostgresPool = {
    async connect() {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw unavailable(error);
      }
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = {
          query: ((text: string, parameters: unknown[]) =>
            client.query(text, parameters).catch((error: unknown) => {
              // A server gone away mid-query (shut down, restarted, network cut) is the same
              // outage as a refused connection: 503, not 500. Other failures stay as they are.
              if (isConnectionLoss(error)) throw unavailable(error);
              if ((error as { code?: unknown }).code !== '23505') countDatabaseError('query');
              throw error;
            })) as unknown as PostgresPoolClient['query'],
          release: () => client.release(),
        };
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: translatingPool }) });
}

/** `host:port/database` from a connection URL, for messages (credentials left out). */
export function describePostgresTarget(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const host = url.searchParams.get('host') ?? (url.hostname === '' ? 'localhost' : url.hostname);
    return `${host}:${url.port === '' ? '5432' : url.port}${url.pathname}`;
  } catch {
    return 'the configured DATABASE_URL (not a valid URL)';
  }
}

/**
 * Whether a query failed because the server or the connection went away
 * rather than because of the statement: SQLSTATE class 08 (connection
 * exception), 57P01–57P03 (admin or crash shutdown, cannot connect now), or
 * node-postgres's own errors for a socket closed under it.
 */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03')) return true;
  if (typeof code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|Client has encountered a connection error|not queryable/i.test(message);
}
