/**
 * What the management API tests share: a real broker on a database of the
 * suite's kind, the unmodified WorkOS SDK pointed at it, and raw HTTP for
 * Hallpass-only endpoints and for input no SDK would send.
 */
import { readFile } from 'node:fs/promises';
import { WorkOS } from '@workos-inc/node';
import pg from 'pg';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import type { EmptyTestDatabase, TestDatabase } from '../support/databases.ts';

export interface ApiHarness {
  hallpass: RunningHallpass;
  workos: WorkOS;
  /** The broker's database, as a second process would open it. */
  database: EmptyTestDatabase;
  /** An authenticated JSON request; `body` is sent as JSON unless it is a string. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty body. */
  body: any;
  /** The body as sent, for checks that something is absent from it. */
  text: string;
}

export async function startApi(database: TestDatabase, env?: Record<string, string>): Promise<ApiHarness> {
  const db = await database.create();
  const hallpass = await startHallpass({ databaseUrl: db.databaseUrl, ...(env ? { env } : {}) });
  const { port } = new URL(hallpass.url);
  const workos = new WorkOS(hallpass.apiKey, { apiHostname: '127.0.0.1', port: Number(port), https: false });

  return {
    hallpass,
    workos,
    database: db,
    async api(method, path, body, headers = {}) {
      return request(`${hallpass.url}${path}`, method, body, { authorization: `Bearer ${hallpass.apiKey}`, ...headers });
    },
    async close() {
      await hallpass.close();
      await db.cleanup();
    },
  };
}

/** A request with no credentials unless `headers` brings some. */
export async function request(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text), text };
}

/**
 * Everything the database holds, as text, to check that a secret never
 * reaches it in plaintext: the SQLite file and its write-ahead log, or every
 * row of every PostgreSQL table.
 */
export async function databaseContents(databaseUrl: string): Promise<string> {
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    const parts = await Promise.all([file, `${file}-wal`].map((path) => readFile(path).catch(() => Buffer.alloc(0))));
    return Buffer.concat(parts).toString('latin1');
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    const dumps = await Promise.all(tables.rows.map(({ table_name }) => client.query(`SELECT * FROM "${table_name}"`)));
    return JSON.stringify(dumps.map((result) => result.rows));
  } finally {
    await client.end();
  }
}
