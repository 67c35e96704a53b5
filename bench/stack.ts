/**
 * The system under test for one database: a Clever sandbox whose first app
 * redirects to the broker, a broker on a fresh SQLite file or a throwaway
 * PostgreSQL database, an API key, an allowed app redirect URI, and an
 * organization with an active Clever connection to the sandbox. Everything
 * listens on 127.0.0.1 and is removed by `close()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, runCli, startServer, type ServerProcess } from './processes.ts';
import { readPostgresStorage, readSqliteStorage, type StorageReading } from './storage.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The server the throwaway PostgreSQL databases are created on. */
const POSTGRES_ADMIN_URL = process.env.HALLPASS_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The seed's district (served by the bench organization), and the user every virtual user signs in as. */
const DISTRICT_ID = '53ee4b8a44abc88c1c00119b';
export const BENCH_USER = { username: 'nandu.perez', password: 'hallpass', cleverId: 'd4bc587efcd7a7240ef0d662' };
/** The app's redirect URI: never requested, the load generator reads the code from the Location header. */
export const APP_REDIRECT_URI = 'http://127.0.0.1:9/app';
export const SANDBOX_CLIENT = { clientId: 'hallpass-sandbox-client', clientSecret: 'hallpass-sandbox-secret' };

export interface Stack {
  sandbox: ServerProcess;
  broker: ServerProcess;
  sandboxUrl: string;
  brokerUrl: string;
  clientId: string;
  apiKey: string;
  organizationId: string;
  /** PIDs of the PostgreSQL server processes serving the bench database (empty on SQLite). */
  databaseBackendPids(): Promise<number[]>;
  /** What the database holds now. */
  readStorage(): Promise<StorageReading>;
  /** Stops the processes (the broker with SIGINT, so a CPU profile gets written) and removes the data. */
  close(): Promise<void>;
}

export interface StackOptions {
  database: DatabaseKind;
  /** When set, the broker runs with `--cpu-prof` writing into this folder. */
  profileDir?: string;
  /** More environment for the broker (e.g. rate-limit settings). */
  brokerEnv?: Record<string, string>;
}

/** Only the part of the sandbox seed the bench changes. */
interface SeedFile {
  apps: Array<{ client_id: string; redirect_uris: string[] }>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((err: unknown) => process.stderr.write(`bench cleanup: ${(err as Error).message}\n`));
  };
  try {
    const dataDir = await mkdtemp(join(tmpdir(), 'hallpass-bench-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [sandboxPort, brokerPort] = [await freePort(), await freePort()];
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const brokerUrl = `http://127.0.0.1:${brokerPort}`;

    const seedPath = join(dataDir, 'clever-seed.json');
    await writeFile(seedPath, JSON.stringify(await benchSeed(`${brokerUrl}/sso/clever/callback`)));
    const sandbox = await startServer('clever sandbox', ['sandbox', 'clever', '--port', String(sandboxPort), '--seed', seedPath], {
      env: { ...process.env, HALLPASS_LOG_LEVEL: 'warn' },
      ready: /listening at/,
    });
    cleanups.push(() => sandbox.stop());

    let databaseUrl: string | undefined;
    let databaseBackendPids = async (): Promise<number[]> => [];
    if (options.database === 'postgres') {
      const db = await createPostgresDatabase();
      cleanups.push(() => db.drop());
      databaseUrl = db.url;
      databaseBackendPids = db.backendPids;
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      HALLPASS_PORT: String(brokerPort),
      HALLPASS_HOST: '127.0.0.1',
      HALLPASS_PUBLIC_URL: brokerUrl,
      HALLPASS_DATA_DIR: dataDir,
      HALLPASS_LOG_LEVEL: 'warn',
      HALLPASS_SECRET_KEY: randomBytes(32).toString('base64'),
      ...options.brokerEnv,
    };
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    else delete env.DATABASE_URL;

    const keyOutput = await runCli(['api-keys', 'create', '--name', 'bench'], env);
    const apiKey = /\b(sk_\S+)/.exec(keyOutput)?.[1];
    const clientId = /Client ID: (\S+)/.exec(keyOutput)?.[1];
    if (!apiKey || !clientId) throw new Error(`unexpected output from api-keys create:\n${keyOutput}`);
    await runCli(['redirect-uris', 'add', APP_REDIRECT_URI, '--default'], env);

    const broker = await startServer('broker', ['serve'], {
      env,
      ready: /listening at/,
      ...(options.profileDir ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', options.profileDir] } : {}),
    });
    // Stopped before the sandbox and the database (cleanups run in reverse).
    cleanups.push(() => broker.stop());

    const organizationId = await createCleverOrganization(brokerUrl, apiKey, sandboxUrl);
    return {
      sandbox,
      broker,
      sandboxUrl,
      brokerUrl,
      clientId,
      apiKey,
      organizationId,
      databaseBackendPids,
      readStorage: () => (databaseUrl ? readPostgresStorage(databaseUrl) : readSqliteStorage(join(dataDir, 'hallpass.sqlite'))),
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The shipped seed, with the first app's primary redirect URI pointing at this broker. */
export async function benchSeed(cleverCallback: string): Promise<SeedFile> {
  const seed = JSON.parse(await readFile(new URL('../src/sandbox/clever/default-seed.json', import.meta.url), 'utf8')) as SeedFile;
  const app = seed.apps[0];
  if (app?.client_id !== SANDBOX_CLIENT.clientId) throw new Error(`the default seed's first app is not ${SANDBOX_CLIENT.clientId}`);
  app.redirect_uris[0] = cleverCallback;
  return seed;
}

/** A new, empty database on the PostgreSQL server, dropped by `drop()`. */
async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void>; backendPids(): Promise<number[]> }> {
  const name = `hallpass_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async backendPids() {
      const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name]);
      return rows.map((row) => row.pid);
    },
    async drop() {
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Creates an organization and its Clever connection through the management API; the connection must come out active. */
export async function createCleverOrganization(brokerUrl: string, apiKey: string, sandboxUrl: string): Promise<string> {
  const call = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${brokerUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const organization = await call('/organizations', { name: 'Bench District' });
  const connection = await call('/connections', {
    organization_id: organization.id,
    connection_type: 'CleverOIDC',
    name: 'Bench Clever',
    client_id: SANDBOX_CLIENT.clientId,
    client_secret: SANDBOX_CLIENT.clientSecret,
    discovery_endpoint: `${sandboxUrl}/.well-known/openid-configuration`,
    district_id: DISTRICT_ID,
  });
  if (connection.state !== 'active') throw new Error(`the bench connection is ${String(connection.state)}: ${String(connection.validation_error)}`);
  return String(organization.id);
}
