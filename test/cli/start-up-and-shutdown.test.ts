/**
 * Starting and stopping `hallpass serve` as an operator sees it: every
 * invalid setting reported at once, a port in use named by the setting that
 * changes it, help on every command, and a graceful SIGTERM that finishes
 * the request in flight before exiting.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

function start(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const started = start(args, env);
  const code = await started.exited;
  return { code, output: started.output() };
}

async function listenAnywhere(): Promise<Server> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

describe('hallpass start-up and shutdown', () => {
  let dataDir: string;
  let env: Record<string, string>;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hallpass-cli-'));
    env = { HALLPASS_DATA_DIR: dataDir, HALLPASS_LOG_LEVEL: 'silent', NODE_ENV: 'development', DATABASE_URL: '', HALLPASS_HOST: '127.0.0.1' };
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('reports every invalid setting in one message', async () => {
    const result = await run(['serve'], {
      ...env,
      HALLPASS_PORT: 'eighty',
      HALLPASS_UPSTREAM_TIMEOUT_MS: '5',
      HALLPASS_LOG_LEVEL: 'loud',
      HALLPASS_HEADERS_TIMEOUT_MS: '0',
    });
    assert.equal(result.code, 1);
    assert.match(result.output, /4 settings are invalid/);
    for (const name of ['HALLPASS_PORT', 'HALLPASS_UPSTREAM_TIMEOUT_MS', 'HALLPASS_LOG_LEVEL', 'HALLPASS_HEADERS_TIMEOUT_MS']) assert.match(result.output, new RegExp(name));
  });

  it('names the setting that changes a port already in use', async () => {
    const busy = await listenAnywhere();
    const { port } = busy.address() as { port: number };
    try {
      const result = await run(['serve'], { ...env, HALLPASS_PORT: String(port) });
      assert.equal(result.code, 1);
      assert.match(result.output, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; choose another with HALLPASS_PORT`));
      const metrics = await run(['serve'], { ...env, HALLPASS_PORT: '0', HALLPASS_METRICS_PORT: String(port) });
      assert.equal(metrics.code, 1);
      assert.match(metrics.output, /choose another with HALLPASS_METRICS_PORT/);
      const dev = await run(['dev'], { ...env, HALLPASS_PORT: '0', HALLPASS_SANDBOX_PORT: String(port) });
      assert.equal(dev.code, 1);
      assert.match(dev.output, /choose another with HALLPASS_SANDBOX_PORT/);
    } finally {
      busy.close();
    }
  });

  it('explains itself with --help, -h, help COMMAND and COMMAND --help', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const result = await run(args, env);
      assert.equal(result.code, 0, args.join(' '));
      assert.match(result.output, /^Usage: hallpass <command>/, args.join(' '));
    }
    const serve = await run(['help', 'serve'], env);
    assert.equal(serve.code, 0);
    assert.match(serve.output, /^Usage: hallpass serve\n {2}The broker alone/);
    const keys = await run(['api-keys', '--help'], env);
    assert.equal(keys.code, 0);
    assert.match(keys.output, /^Usage: hallpass api-keys create --name NAME/);
    const unknown = await run(['help', 'frobnicate'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.output, /unknown command "frobnicate"/);
  });

  it('on SIGTERM stops accepting, finishes the request in flight, then exits 0', async () => {
    const free = await listenAnywhere();
    const { port } = free.address() as { port: number };
    await new Promise((resolve) => free.close(resolve));
    const server = start(['serve'], { ...env, HALLPASS_PORT: String(port), HALLPASS_SHUTDOWN_GRACE_MS: '10000' });
    try {
      while (!/listening at/.test(server.output())) {
        assert.equal(server.child.exitCode, null, server.output());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // A request in flight: headers and half its body sent.
      const body = 'grant_type=authorization_code&code=abc&client_id=client_x';
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.write(`POST /sso/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 20)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));

      server.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(server.child.exitCode, null, 'still running while a request is in flight');
      const refused = await fetch(`http://127.0.0.1:${port}/health`).then(() => 'accepted', (err: Error) => (err.cause as NodeJS.ErrnoException | undefined)?.code ?? err.message);
      assert.equal(refused, 'ECONNREFUSED', 'no new connections once shutting down');

      socket.write(body.slice(20));
      const code = await server.exited;
      assert.match(answer, /^HTTP\/1\.1 400 /, 'the request in flight got its answer');
      assert.match(answer, /invalid_client/);
      assert.equal(code, 0, server.output());
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('exits 1 when requests are still in flight at the end of the grace period', async () => {
    const free = await listenAnywhere();
    const { port } = free.address() as { port: number };
    await new Promise((resolve) => free.close(resolve));
    const server = start(['serve'], { ...env, HALLPASS_PORT: String(port), HALLPASS_SHUTDOWN_GRACE_MS: '500' });
    try {
      while (!/listening at/.test(server.output())) await new Promise((resolve) => setTimeout(resolve, 100));
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      socket.on('error', () => {});
      socket.write('POST /sso/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const signalled = performance.now();
      server.child.kill('SIGTERM');
      const code = await server.exited;
      assert.equal(code, 1);
      assert.ok(performance.now() - signalled < 5000, 'gave up after the grace period');
      socket.destroy();
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
