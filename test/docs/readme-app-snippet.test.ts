/**
 * The README's "Using Hallpass from an app" section, run as written: its
 * `npx hallpass redirect-uris add …` line against a running Hallpass's
 * database, then its TypeScript block (the unmodified WorkOS SDK) imported as
 * a module with only the environment variables it names set, signing a user
 * in through the Clever sandbox.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { after, before, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { createOrgWithConnection, signInAtClever } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT } from '../support/clever-seed.ts';
import { databases, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent } from '../support/user-agent.ts';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
// Inside the checkout, so the snippet's `import '@workos-inc/node'` resolves as in an app.
const SNIPPET_DIR = new URL('../../node_modules/.cache/hallpass-readme-snippet/', import.meta.url);

async function appSection(): Promise<string> {
  const readme = await readFile(README, 'utf8');
  const start = readme.indexOf('## Using Hallpass from an app');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

let db: OpenTestDatabase;
let hallpass: RunningHallpass;
let sandbox: RunningCleverSandbox;

before(async () => {
  db = await databases.find((d) => d.name === 'sqlite')!.open();
  hallpass = await startHallpass({ databaseUrl: db.databaseUrl });
  sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
});
after(async () => {
  await sandbox?.close();
  await hallpass?.close();
  await db?.cleanup();
  await rm(SNIPPET_DIR, { recursive: true, force: true });
});

it('signs a user in with the README’s command and code, as written', async () => {
  const section = await appSection();
  const command = /^npx hallpass (redirect-uris add .+)$/m.exec(section)?.[1];
  assert.ok(command, 'the section registers the callback with `npx hallpass redirect-uris add`');
  const added = await runCli(command.split(/\s+/), { DATABASE_URL: db.databaseUrl, HALLPASS_DATA_DIR: db.dataDir, HALLPASS_LOG_LEVEL: 'silent' });
  assert.equal(added.code, 0, added.output);

  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  assert.ok(code.includes('getAuthorizationUrl'), 'the section has the TypeScript block');
  await mkdir(SNIPPET_DIR, { recursive: true });
  const file = new URL('app.ts', SNIPPET_DIR);
  await writeFile(file, code);
  Object.assign(process.env, { HALLPASS_URL: hallpass.url, HALLPASS_CLIENT_ID: hallpass.clientId, HALLPASS_API_KEY: hallpass.apiKey });
  const app = (await import(pathToFileURL(fileURLToPath(file)).href)) as {
    signInUrl(organization: string, state: string): string;
    profileFrom(code: string): Promise<{ organizationId: string; firstName: string | null }>;
  };

  const org = await createOrgWithConnection(hallpass, { name: 'README District' }, {
    connection_type: 'CleverOIDC',
    client_id: HALLPASS_APP.clientId,
    client_secret: HALLPASS_APP.clientSecret,
    discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
    district_id: SANDBOX_DISTRICT,
  });
  const atApp = (u: URL) => u.href.startsWith('https://app.example.com/callback');
  const ua = new UserAgent();
  const page = await signInAtClever(ua, await ua.get(app.signInUrl(org.organizationId, 'csrf-token'), { stopAt: atApp }), 'nandu.perez', { stopAt: atApp });
  assert.ok(page.stopped, `the login ended at the app's callback, not ${page.url}`);
  const back = new URL(page.url);
  assert.equal(back.searchParams.get('state'), 'csrf-token');
  const profile = await app.profileFrom(back.searchParams.get('code')!);
  assert.equal(profile.organizationId, org.organizationId);
  assert.equal(profile.firstName, 'Ñandú');
});
