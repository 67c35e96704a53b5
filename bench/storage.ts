/**
 * How much the broker's database holds: bytes per table (indexes counted with
 * their table) and login-attempt rows, read beside the running broker (a
 * read-only SQLite connection, which WAL allows; PostgreSQL's size functions).
 * The difference of two readings over a run, per 10,000 sign-ins, is the
 * database's growth.
 */
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';

export interface StorageReading {
  totalBytes: number;
  bytesByTable: Record<string, number>;
  loginAttemptRows: number;
}

export async function readSqliteStorage(path: string): Promise<StorageReading> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare(`
      select coalesce(s.tbl_name, d.name) as tbl, sum(d.pgsize) as bytes
      from dbstat d left join sqlite_schema s on s.name = d.name
      group by tbl`).all() as Array<{ tbl: string; bytes: number }>;
    const { n } = db.prepare('select count(*) as n from login_attempts').get() as { n: number };
    const bytesByTable = Object.fromEntries(rows.map((r) => [r.tbl, Number(r.bytes)]));
    return { totalBytes: Object.values(bytesByTable).reduce((a, b) => a + b, 0), bytesByTable, loginAttemptRows: Number(n) };
  } finally {
    db.close();
  }
}

export async function readPostgresStorage(databaseUrl: string): Promise<StorageReading> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ tbl: string; bytes: string }>(
      "select tablename as tbl, pg_total_relation_size(quote_ident(tablename)) as bytes from pg_tables where schemaname = 'public'",
    );
    const { rows: [count] } = await client.query<{ n: string }>('select count(*) as n from login_attempts');
    const bytesByTable = Object.fromEntries(rows.map((r) => [r.tbl, Number(r.bytes)]));
    return { totalBytes: Object.values(bytesByTable).reduce((a, b) => a + b, 0), bytesByTable, loginAttemptRows: Number(count?.n ?? 0) };
  } finally {
    await client.end();
  }
}

export interface StorageGrowth {
  logins: number;
  /** Per 10,000 sign-ins. */
  totalBytes: number;
  loginAttemptBytes: number;
  loginAttemptRows: number;
  /** Per 10,000 sign-ins, by table, largest first. */
  byTable: Array<[string, number]>;
}

export function storageGrowth(before: StorageReading, after: StorageReading, logins: number): StorageGrowth {
  const per10k = (bytes: number) => (logins > 0 ? (bytes / logins) * 10_000 : NaN);
  const tables = new Set([...Object.keys(before.bytesByTable), ...Object.keys(after.bytesByTable)]);
  const byTable = [...tables]
    .map((t): [string, number] => [t, per10k((after.bytesByTable[t] ?? 0) - (before.bytesByTable[t] ?? 0))])
    .filter(([, bytes]) => bytes !== 0)
    .sort((a, b) => b[1] - a[1]);
  return {
    logins,
    totalBytes: per10k(after.totalBytes - before.totalBytes),
    loginAttemptBytes: per10k((after.bytesByTable.login_attempts ?? 0) - (before.bytesByTable.login_attempts ?? 0)),
    loginAttemptRows: per10k(after.loginAttemptRows - before.loginAttemptRows),
    byTable,
  };
}

export function formatStorageGrowth(growth: StorageGrowth): string {
  const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
  return [
    `Database growth per 10,000 sign-ins (over ${growth.logins} sign-ins, warm-ups included): **${mib(growth.totalBytes)}** in all, of which the lasting part, login attempts (kept \`HALLPASS_LOGIN_RETENTION_DAYS\`), ${mib(growth.loginAttemptBytes)} (${growth.loginAttemptRows.toFixed(0)} rows). The rest expires within minutes (access tokens after 10, Idempotency-Keys after 24 h) and the sweep deletes it.`,
    '',
    `By table (indexes included): ${growth.byTable.map(([t, b]) => `${t} ${mib(b)}`).join(', ')}.`,
  ].join('\n');
}
