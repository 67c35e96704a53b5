/**
 * Runs the Classroom reference app (`examples/classroom`) beside the demo
 * broker, as its own process configured only by environment variables, the
 * way a customer's app reaches any Hallpass deployment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLASSROOM_MAIN = fileURLToPath(new URL('../../examples/classroom/src/main.ts', import.meta.url));
const READY_LINE = 'Classroom is running';

export interface RunningClassroom {
  url: string;
  callbackUrl: string;
  stop(): Promise<void>;
}

export interface ClassroomSettings {
  hallpassUrl: string;
  apiKey: string;
  clientId: string;
  /** The Clever app Log in with Clever uses. */
  cleverClientId: string;
  port: number;
  host: string;
  databaseFile: string;
  logLevel: string;
}

/** Starts Classroom and waits until it listens (or fails: its own message is then in the error). */
export async function startClassroom(settings: ClassroomSettings): Promise<RunningClassroom> {
  const url = `http://localhost:${settings.port}`;
  const child = spawn(process.execPath, [CLASSROOM_MAIN], {
    env: {
      ...process.env,
      HALLPASS_URL: settings.hallpassUrl,
      HALLPASS_API_KEY: settings.apiKey,
      HALLPASS_CLIENT_ID: settings.clientId,
      CLEVER_CLIENT_ID: settings.cleverClientId,
      CLASSROOM_PORT: String(settings.port),
      CLASSROOM_HOST: settings.host,
      CLASSROOM_PUBLIC_URL: url,
      CLASSROOM_DATABASE: settings.databaseFile,
      CLASSROOM_LOG_LEVEL: settings.logLevel,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await whenReady(child);
  child.stdout!.pipe(process.stdout);
  child.stderr!.pipe(process.stderr);
  return {
    url,
    callbackUrl: `${url}/callback`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function whenReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(READY_LINE)) {
        child.stdout!.off('data', collect);
        child.stderr!.off('data', collect);
        child.off('close', exited);
        resolve();
      }
    };
    const exited = () => reject(new Error(`Classroom did not start:\n${output.trim()}`));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('close', exited);
  });
}
