/**
 * What the management API tests share: a real broker on a database of the
 * suite's kind, the unmodified WorkOS SDK pointed at it, and raw HTTP for
 * Hallpass-only endpoints and for input no SDK would send.
 */
import { WorkOS } from '@workos-inc/node';
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
