/**
 * The command line as a user runs it: real processes, real ports, a real
 * SQLite file. `hallpass dev` (what `npm start` runs) must show a whole
 * login working through its Test SSO page.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UserAgent } from '../support/user-agent.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('hallpass CLI', () => {
  let dataDir: string;
  let env: Record<string, string>;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hallpass-cli-'));
    env = { HALLPASS_DATA_DIR: dataDir, HALLPASS_LOG_LEVEL: 'silent', NODE_ENV: 'development', DATABASE_URL: '' };
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('api-keys create prints a key once and the client ID, and stores only its hash', async () => {
    const result = await run(['api-keys', 'create', '--name', 'ci'], env);
    assert.equal(result.code, 0, result.stderr);
    const key = /\b(sk_[A-Za-z0-9_-]{20,})/.exec(result.stdout)?.[1];
    assert.ok(key, result.stdout);
    assert.match(result.stdout, /Client ID: client_[0-9A-Z]{26}/);
    const db = await readFile(join(dataDir, 'hallpass.sqlite'));
    assert.equal(db.includes(Buffer.from(key)), false, 'the key is not in the database file');
  });

  it('redirect-uris add checks the URI and marks the default', async () => {
    const bad = await run(['redirect-uris', 'add', 'not a url'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not an absolute URL/);
    const good = await run(['redirect-uris', 'add', 'https://app.example/callback', '--default'], env);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /https:\/\/app\.example\/callback {2}\(default\)/);
  });

  it('settings shows the client ID and changes the default role', async () => {
    const bad = await run(['settings', '--default-role', 'Not A Slug'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /must be a role slug/);
    const before = await run(['settings'], env);
    assert.match(before.stdout, /Default role: {2}member/);
    const changed = await run(['settings', '--default-role', 'viewer'], env);
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /Default role: {2}viewer/);
    assert.match((await run(['settings'], env)).stdout, /Default role: {2}viewer/);
  });

  it('refuses to start in production without a secret key, naming the variable', async () => {
    const result = await run(['serve'], { ...env, NODE_ENV: 'production', HALLPASS_PUBLIC_URL: 'https://sso.example.com' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /HALLPASS_SECRET_KEY is required/);
  });

  it('an unknown command prints the usage and exits 2', async () => {
    const result = await run(['frobnicate'], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command "frobnicate"/);
    assert.match(result.stderr, /api-keys create/);
  });
});

describe('hallpass dev (npm start)', () => {
  let child: ChildProcess;
  let dataDir: string;
  let output = '';
  let brokerUrl: string;
  let sandboxUrl: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hallpass-dev-'));
    const [port, sandboxPort, classroomPort] = [await freePort(), await freePort(), await freePort()];
    brokerUrl = `http://localhost:${port}`;
    sandboxUrl = `http://localhost:${sandboxPort}`;
    child = spawn(process.execPath, ['--import', 'tsx', CLI, 'dev'], {
      env: { ...process.env, HALLPASS_DATA_DIR: dataDir, HALLPASS_PORT: String(port), HALLPASS_SANDBOX_PORT: String(sandboxPort), HALLPASS_CLASSROOM_PORT: String(classroomPort), HALLPASS_LOG_LEVEL: 'silent', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 30_000;
    while (!output.includes('API key') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.match(output, /API key/, output);
  });
  after(async () => {
    child?.kill('SIGINT');
    await new Promise((r) => child?.once('close', r));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints the client ID, a working API key and where to try a login', async () => {
    assert.match(output, /Client ID {2}client_/);
    assert.match(output, /\/test-sso/);
    const key = /API key {4}(sk_\S+)/.exec(output)?.[1];
    const orgs = await fetch(`${brokerUrl}/organizations`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(orgs.status, 200);
    const body = (await orgs.json()) as { data: Array<{ name: string }> };
    assert.equal(body.data.length, 1);
  });

  it('Test SSO signs in through the sandbox and shows the profile', async () => {
    const ua = new UserAgent();
    const list = await ua.get(`${brokerUrl}/test-sso`);
    assert.match(list.body, /Clever \(sandbox\)/);
    let page = await ua.submit(list, { form: '/test-sso/start' });
    if (page.body.includes('id="idp-login"')) page = await ua.click(page, 'idp-login');
    page = await ua.submit(page, { form: 'login-form', fields: { username: 'nandu.perez', password: 'hallpass' } });
    assert.equal(page.status, 200, page.body.slice(0, 500));
    assert.match(page.body, /Test SSO succeeded/);
    assert.match(page.body, /Ñandú/);
    assert.match(page.body, /&quot;connection_type&quot;: &quot;CleverOIDC&quot;/);
  });

  it('runs Classroom, and a Clever Portal launch lands there signed in (its callback is the default redirect URI)', async () => {
    const classroomUrl = /Classroom \(an app\): +(\S+)\//.exec(output)?.[1];
    assert.ok(classroomUrl, output);
    const ua = new UserAgent();
    let page = await ua.get(`${sandboxUrl}/in/hallpass-sandbox`);
    if (page.body.includes('id="idp-login"')) page = await ua.click(page, 'idp-login');
    page = await ua.submit(page, { form: 'login-form', fields: { username: 'jose.garcia', password: 'hallpass' } });
    page = await ua.submit(page, { form: 'launch-hallpass-sandbox-client' });
    assert.equal(page.url, `${classroomUrl}/welcome`, page.body.slice(0, 500));
    assert.match(page.body, /Signed in as <strong id="signed-in-name">José García<\/strong>/);
  });
});
