/**
 * The processes under test, each a separate Node process so its CPU time can
 * be read on its own: the Clever sandbox (the IdP) and the broker, both run
 * through the project's CLI on the pinned Node (`process.execPath`), plus
 * the broker's one-shot CLI commands used for setup.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** How long a process may take to start listening or to exit after SIGINT. */
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
/** Output kept for error messages. */
const OUTPUT_TAIL_CHARS = 8_000;

export interface ServerProcess {
  name: string;
  pid: number;
  /** stdout and stderr so far (the last few kilobytes), for error messages. */
  output(): string;
  /** SIGINT (or `signal`), and wait for the exit (SIGKILL after a timeout); returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A TCP port that was free a moment ago on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || !address) throw new Error('could not reserve a port');
  return address.port;
}

/** Node options for every child: tsx, as `npm run bench` itself uses. */
function nodeArgs(extraNodeArgs: string[], cliArgs: string[]): string[] {
  return [...extraNodeArgs, '--import', 'tsx', 'src/cli.ts', ...cliArgs];
}

/** Runs a one-shot `hallpass` command and returns its stdout; fails on a non-zero exit. */
export async function runCli(cliArgs: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, nodeArgs([], cliArgs), { cwd: repoRoot, env, encoding: 'utf8' });
    return stdout;
  } catch (err) {
    const { stderr } = err as { stderr?: string };
    throw new Error(`hallpass ${cliArgs.join(' ')} failed: ${stderr || (err as Error).message}`);
  }
}

/**
 * Starts a long-running `hallpass` command and resolves once its stdout
 * matches `ready` (it prints its URL when listening).
 */
export async function startServer(name: string, cliArgs: string[], options: { env: NodeJS.ProcessEnv; ready: RegExp; nodeArgs?: string[] }): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, nodeArgs(options.nodeArgs ?? [], cliArgs), {
    cwd: repoRoot,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const handle: ServerProcess = {
    name,
    pid: child.pid!,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGINT') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      return child.exitCode;
    },
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const onData = () => {
        if (options.ready.test(output)) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${name} exited during start-up (code ${child.exitCode})`));
      });
    });
  } catch (err) {
    await handle.stop();
    throw new Error(`${(err as Error).message}:\n${output}`);
  }
  return handle;
}
