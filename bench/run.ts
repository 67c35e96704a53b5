/**
 * `npm run bench [-- --db sqlite|postgres|both] [--concurrency 16,32,64,128]
 *                   [--warmup 10] [--duration 10] [--profile] [--rate-limits on|off]`
 *
 * Full logins per second (authorize → IdP → callback → token) and the CPU
 * each process spends per login, on SQLite and PostgreSQL. For each database
 * it starts a Clever sandbox and a broker as separate processes, then runs
 * the load from this process at each concurrency in turn: a warm-up, then a
 * measured window. With `--profile` the broker runs under `--cpu-prof` and
 * its profile, cut to the measured windows, is summarized at the end.
 * It also reports how much the database grew per 10,000 sign-ins.
 *
 * Every login comes from 127.0.0.1, so the default per-address limits would
 * refuse the load: `--rate-limits on` (the default) raises every limit out of
 * reach, so the limiter counts every request but never refuses; `off` turns
 * them off (0), for an A/B of the limiter's cost.
 * Figures go to stdout as Markdown and to `.bench/results.json`.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { LoadGenerator } from './load.ts';
import { takeSample, windowFigures, type WindowFigures } from './measure.ts';
import { repoRoot } from './processes.ts';
import { formatProfileSummary, summarizeProfile, type ProfileSummary } from './profile-summary.ts';
import { formatFigures, formatMachine, formatTargets } from './report.ts';
import { startStack, type DatabaseKind } from './stack.ts';
import { formatStorageGrowth, storageGrowth, type StorageGrowth } from './storage.ts';

interface Options {
  databases: DatabaseKind[];
  concurrency: number[];
  warmupS: number;
  durationS: number;
  profile: boolean;
  rateLimits: boolean;
}

interface DatabaseResult {
  database: DatabaseKind;
  profiled: boolean;
  windows: WindowFigures[];
  profile?: ProfileSummary;
  storage: StorageGrowth;
}

const RATE_LIMIT_SETTINGS = [
  'HALLPASS_RATE_LIMIT_LOGIN_PER_ADDRESS',
  'HALLPASS_RATE_LIMIT_AUTHORIZE_PER_CLIENT',
  'HALLPASS_RATE_LIMIT_TOKEN_FAILURES_PER_ADDRESS',
  'HALLPASS_RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT',
  'HALLPASS_RATE_LIMIT_API_AUTH_FAILURES_PER_ADDRESS',
];

/** Limits out of reach (counted, never refused), or off. */
function rateLimitEnv(on: boolean): Record<string, string> {
  return Object.fromEntries(RATE_LIMIT_SETTINGS.map((name) => [name, on ? '1000000000' : '0']));
}

const benchDir = join(repoRoot, '.bench');

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: 'both' },
      concurrency: { type: 'string', default: '16,32,64,128' },
      warmup: { type: 'string', default: '10' },
      duration: { type: 'string', default: '10' },
      profile: { type: 'boolean', default: false },
      'rate-limits': { type: 'string', default: 'on' },
    },
    strict: true,
  });
  const positive = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not "${value}"`);
    return n;
  };
  const databases: Record<string, DatabaseKind[]> = { sqlite: ['sqlite'], postgres: ['postgres'], both: ['sqlite', 'postgres'] };
  const chosen = databases[values.db];
  if (!chosen) throw new Error(`--db must be sqlite, postgres or both, not "${values.db}"`);
  if (!['on', 'off'].includes(values['rate-limits'])) throw new Error(`--rate-limits must be on or off, not "${values['rate-limits']}"`);
  return {
    databases: chosen,
    concurrency: values.concurrency.split(',').map((c) => Math.round(positive('concurrency', c.trim()))),
    warmupS: positive('warmup', values.warmup),
    durationS: positive('duration', values.duration),
    profile: values.profile,
    rateLimits: values['rate-limits'] === 'on',
  };
}

async function benchDatabase(database: DatabaseKind, options: Options): Promise<DatabaseResult> {
  const profileDir = join(benchDir, 'profiles', database);
  if (options.profile) {
    await rm(profileDir, { recursive: true, force: true });
    await mkdir(profileDir, { recursive: true });
  }
  const stack = await startStack({ database, brokerEnv: rateLimitEnv(options.rateLimits), ...(options.profile ? { profileDir } : {}) });
  const windows: WindowFigures[] = [];
  let storage: StorageGrowth | undefined;
  try {
    const storageBefore = await stack.readStorage();
    let logins = 0;
    for (const users of options.concurrency) {
      const load = new LoadGenerator(stack, users);
      await load.start();
      try {
        await sleep(options.warmupS * 1000);
        const start = await takeSample(stack, () => load.counters());
        await sleep(options.durationS * 1000);
        const end = await takeSample(stack, () => load.counters());
        windows.push(windowFigures(stack, users, start, end, load.counters()));
      } finally {
        await load.stop();
        logins += load.counters().logins;
      }
      const last = windows.at(-1)!;
      process.stderr.write(`${database} × ${users}: ${last.loginsPerSecond.toFixed(0)} logins/s, broker ${last.brokerCpuMsPerLogin.toFixed(3)} ms CPU/login, ${last.errors} errors\n`);
    }
    storage = storageGrowth(storageBefore, await stack.readStorage(), logins);
  } finally {
    await stack.close();
  }

  const result: DatabaseResult = { database, profiled: options.profile, windows, storage: storage! };
  if (options.profile) {
    // The main thread's profile: CPU.<date>.<time>.<pid>.<thread 0>.<seq>.cpuprofile (tsx's loader thread writes its own).
    const files = (await readdir(profileDir)).filter((f) => f.includes(`.${stack.broker.pid}.0.`) && f.endsWith('.cpuprofile'));
    if (!files[0]) {
      process.stderr.write(`No CPU profile was written in ${profileDir} (the broker exited with code ${await stack.broker.stop()}).\n`);
    } else {
      result.profile = await summarizeProfile(join(profileDir, files[0]), windows.map((w) => w.monotonicUs), repoRoot);
    }
  }
  return result;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const results: DatabaseResult[] = [];
  for (const database of options.databases) results.push(await benchDatabase(database, options));

  const out: string[] = [formatMachine(cpus().length, repoRoot), ''];
  for (const result of results) {
    out.push(`## ${result.database}${result.profiled ? ' (broker under --cpu-prof)' : ''}${options.rateLimits ? '' : ' (rate limits off)'}`, '', formatFigures(result.windows), '', formatTargets(result.windows), '', formatStorageGrowth(result.storage), '');
    if (result.profile) out.push(formatProfileSummary(result.profile, `Broker CPU profile, ${result.database}`), '');
  }
  process.stdout.write(out.join('\n'));
  await mkdir(benchDir, { recursive: true });
  await writeFile(join(benchDir, 'results.json'), JSON.stringify({ options, results }, null, 2));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
