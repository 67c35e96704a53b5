/**
 * `hallpass sandbox clever [--port 8081] [--host 127.0.0.1] [--seed FILE]
 * [--public-url URL] [--claims current|legacy] [--rate-limit N]
 * [--max-pending-logins N] [--headers-timeout MS] [--request-timeout MS]
 * [--keep-alive-timeout MS] [--idle-timeout MS]`: runs the sandbox until
 * interrupted. A bad seed or option stops start-up with a message naming the
 * problem and exit code 1.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../../log.ts';
import { loadSeedFile } from './seed/parse-seed.ts';
import { defaultSeed } from './seed/default-seed.ts';
import { claimShapes, type ClaimShape, type SandboxSettingsInput } from './settings.ts';
import { startCleverSandbox } from './start.ts';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}

/** A whole number for a numeric flag; its range is checked with the other settings. */
function parseCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${flag} must be a whole number, not "${value}"`);
  return Number(value);
}

function parseClaims(value: string | undefined): ClaimShape | undefined {
  if (value === undefined) return undefined;
  if (!(claimShapes as readonly string[]).includes(value)) {
    throw new Error(`--claims must be ${claimShapes.join(' or ')}, not "${value}"`);
  }
  return value as ClaimShape;
}

/** Drops unset entries, so the settings' defaults apply to them. */
function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const settingFlags: Record<string, string> = {
  'rateLimit.max': '--rate-limit',
  maxPendingLogins: '--max-pending-logins',
  'timeouts.headersMs': '--headers-timeout',
  'timeouts.requestMs': '--request-timeout',
  'timeouts.keepAliveMs': '--keep-alive-timeout',
  'timeouts.idleMs': '--idle-timeout',
};

/** Settings errors name settings (`timeouts.headersMs`); on the command line they name the flag. */
function flagNames(message: string): string {
  return message.replace(/\b(rateLimit\.max|maxPendingLogins|timeouts\.\w+)(?=:)/g, (path) => settingFlags[path] ?? path);
}

export async function runSandboxCommand(argv: string[]): Promise<void> {
  let sandbox: Awaited<ReturnType<typeof startCleverSandbox>>;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8081' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string' },
        'public-url': { type: 'string' },
        claims: { type: 'string' },
        'rate-limit': { type: 'string' },
        'max-pending-logins': { type: 'string' },
        'headers-timeout': { type: 'string' },
        'request-timeout': { type: 'string' },
        'keep-alive-timeout': { type: 'string' },
        'idle-timeout': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const claims = parseClaims(values.claims);
    const rateLimitMax = parseCount('rate-limit', values['rate-limit']);
    const settings: SandboxSettingsInput = defined({
      rateLimit: rateLimitMax === undefined ? undefined : { max: rateLimitMax },
      maxPendingLogins: parseCount('max-pending-logins', values['max-pending-logins']),
      timeouts: defined({
        headersMs: parseCount('headers-timeout', values['headers-timeout']),
        requestMs: parseCount('request-timeout', values['request-timeout']),
        keepAliveMs: parseCount('keep-alive-timeout', values['keep-alive-timeout']),
        idleMs: parseCount('idle-timeout', values['idle-timeout']),
      }),
    });
    const seed = values.seed ? await loadSeedFile(values.seed) : defaultSeed;
    sandbox = await startCleverSandbox({
      port: parsePort(values.port),
      host: values.host,
      seed,
      settings,
      ...(claims ? { claims } : {}),
      ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
      logger: createLogger(process.env.HALLPASS_LOG_LEVEL ?? 'warn', 'clever-sandbox'),
    });
  } catch (err) {
    process.stderr.write(`hallpass sandbox clever: ${flagNames((err as Error).message)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    `Clever sandbox listening at ${sandbox.url}\n` +
      `Home page (districts, users, apps, login links): ${sandbox.url}/\n` +
      `Discovery: ${sandbox.url}/.well-known/openid-configuration\n` +
      `Claims: ${sandbox.claims} shape (see docs/sandbox.md)\n`,
  );
  const stop = () => void sandbox.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
