/**
 * A PostgreSQL server of a test's own — Debian's `initdb`/`pg_ctl` on a free
 * port and a temporary data folder — for tests that stop and start the
 * database (never the machine's shared server). As root, the server runs as
 * the `postgres` user, as PostgreSQL requires.
 *
 * When the binaries are missing, `privatePostgresSkip` says why, and the test
 * is skipped outside CI; under `CI=true` it fails instead.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

function findBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

const binaries = findBinaries();
const asRoot = process.getuid?.() === 0;

/** Why the private server cannot run here (undefined: it can); under CI=true a reason is a failure, not a skip. */
export const privatePostgresSkip: string | undefined =
  binaries === undefined
    ? process.env.CI === 'true'
      ? undefined // let start() fail loudly in CI
      : 'initdb/pg_ctl not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)'
    : undefined;

export interface PrivatePostgres {
  /** `postgres://…` for a database created on this server. */
  databaseUrl: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its data folder. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(port: number): Promise<PrivatePostgres> {
  if (binaries === undefined) throw new Error('initdb/pg_ctl not found under /usr/lib/postgresql/*/bin');
  const dir = await mkdtemp(join(tmpdir(), 'hallpass-pg-'));
  const dataDir = join(dir, 'data');
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pgRun = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(binaries, tool), ...args]) : run(join(binaries, tool), args);
  await pgRun('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  const start = async () => void (await pgRun('pg_ctl', ['-D', dataDir, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']));
  const stop = async () => void (await pgRun('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']));
  await start();

  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('create database hallpass');
  await admin.end();
  let running = true;
  return {
    databaseUrl: `postgres://postgres@127.0.0.1:${port}/hallpass`,
    port,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
