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
import { openStore } from '../../src/store/index.ts';
import { UserAgent } from '../support/user-agent.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

function run(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
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

  it('admins create reads the password from standard input and stores only its scrypt hash', async () => {
    const password = 'a long enough passphrase';
    const created = await run(['admins', 'create', '--email', 'Ops@Vendor.example'], env, `${password}\n`);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Admin ops@vendor\.example created\. Sign in at http:\/\/localhost:8080\/dashboard\/sign-in/);
    const db = await readFile(join(dataDir, 'hallpass.sqlite'));
    assert.equal(db.includes(Buffer.from(password)), false, 'the password is not in the database file');
    assert.equal(db.includes(Buffer.from('scrypt$32768$8$1$')), true);
    const again = await run(['admins', 'create', '--email', 'ops@vendor.example'], env, password);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already has an admin account/);
    const short = await run(['admins', 'create', '--email', 'new@vendor.example'], env, 'short');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /at least 12 characters/);
  });

  it('redirect-uris add checks the URI and marks the default', async () => {
    const bad = await run(['redirect-uris', 'add', 'not a url'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not an absolute URL/);
    const good = await run(['redirect-uris', 'add', 'https://app.example/callback', '--default'], env);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /https:\/\/app\.example\/callback {2}\(default\)/);
  });

  it('api-keys list shows name and last four characters, never the key; revoke removes it and is audited', async () => {
    const created = await run(['api-keys', 'create', '--name', 'listed-key'], env);
    const key = /\b(sk_[A-Za-z0-9_-]{20,})/.exec(created.stdout)![1]!;
    const list = await run(['api-keys', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    const line = list.stdout.split('\n').find((l) => l.includes('listed-key'));
    assert.ok(line, list.stdout);
    assert.ok(line.includes(`sk_…${key.slice(-4)}`) && !list.stdout.includes(key), line);
    const id = /\b(key_[0-9A-Z]{26})\b/.exec(line)![1]!;

    const revoked = await run(['api-keys', 'revoke', id], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /revoked/);
    assert.ok(!(await run(['api-keys', 'list'], env)).stdout.includes(id));
    const again = await run(['api-keys', 'revoke', id], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /No API key/);

    const store = await openStore({ databaseUrl: undefined, dataDir });
    try {
      const log = (await store.auditLog.list({ limit: 100, order: 'asc', targetType: 'api_key', targetId: id })).data;
      assert.deepEqual(log.map((e) => [e.action, e.actor.name]), [['api_key.created', 'command line'], ['api_key.revoked', 'command line']]);
      assert.ok(!JSON.stringify(log).includes(key));
    } finally {
      await store.close();
    }
  });

  it('redirect-uris list and remove', async () => {
    await run(['redirect-uris', 'add', 'https://other.example/cb'], env);
    const list = await run(['redirect-uris', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /https:\/\/other\.example\/cb\n/);
    const removed = await run(['redirect-uris', 'remove', 'https://other.example/cb'], env);
    assert.equal(removed.code, 0, removed.stderr);
    assert.ok(!removed.stdout.includes('other.example'), removed.stdout);
    const missing = await run(['redirect-uris', 'remove', 'https://other.example/cb'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not an allowed redirect URI/);
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

  it('prints the client ID, a working API key, the dashboard and where to try a login', async () => {
    assert.match(output, /Client ID {2}client_/);
    assert.match(output, /Dashboard: +http:\/\/localhost:\d+\/dashboard/);
    assert.match(output, /sign in as +admin@hallpass\.localhost \/ \S+/);
    assert.match(output, /\/dashboard\/connections\/conn_/);
    const key = /API key {4}(sk_\S+)/.exec(output)?.[1];
    const orgs = await fetch(`${brokerUrl}/organizations`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(orgs.status, 200);
    const body = (await orgs.json()) as { data: Array<{ name: string }> };
    assert.equal(body.data.length, 1);
  });

  it('the demo admin signs in, and Test SSO signs in through the sandbox and shows the profile', async () => {
    const [, email, password] = /sign in as +(\S+) \/ (\S+)/.exec(output)!;
    const connectionUrl = /(http:\/\/localhost:\d+\/dashboard\/connections\/conn_\w+)/.exec(output)![1]!;
    const ua = new UserAgent();
    const signIn = await ua.get(connectionUrl);
    const connection = await ua.submit(signIn, { form: '/dashboard/sign-in', fields: { email: email!, password: password! } });
    assert.match(connection.body, /Clever \(sandbox\)/);
    let page = await ua.submit(connection, { form: '/test' });
    if (page.body.includes('id="idp-login"')) page = await ua.click(page, 'idp-login');
    page = await ua.submit(page, { form: 'login-form', fields: { username: 'nandu.perez', password: 'hallpass' } });
    assert.equal(page.status, 200, page.body.slice(0, 500));
    assert.match(page.body, /Test SSO succeeded/);
    assert.match(page.body, /Ñandú/);
    assert.match(page.body, /connection_type&quot;: &quot;CleverOIDC|connection_type": "CleverOIDC/);
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
