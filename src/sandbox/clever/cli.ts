/**
 * `hallpass sandbox clever [--port 8081] [--host 127.0.0.1] [--seed FILE] [--public-url URL]`:
 * runs the sandbox until interrupted. A bad seed or option stops start-up
 * with a message naming the problem and exit code 1.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../../log.ts';
import { loadSeedFile } from './seed/parse-seed.ts';
import { defaultSeed } from './seed/default-seed.ts';
import { startCleverSandbox } from './start.ts';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
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
      },
      strict: true,
      allowPositionals: false,
    });
    const seed = values.seed ? await loadSeedFile(values.seed) : defaultSeed;
    sandbox = await startCleverSandbox({
      port: parsePort(values.port),
      host: values.host,
      seed,
      ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
      logger: createLogger(process.env.HALLPASS_LOG_LEVEL ?? 'warn', 'clever-sandbox'),
    });
  } catch (err) {
    process.stderr.write(`hallpass sandbox clever: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    `Clever sandbox listening at ${sandbox.url}\n` +
      `Home page (districts, users, apps, login links): ${sandbox.url}/\n` +
      `Discovery: ${sandbox.url}/.well-known/openid-configuration\n`,
  );
  const stop = () => void sandbox.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
