import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { defaultSeed, loadSeedFile, parseSeed } from '../../src/sandbox/clever/index.ts';
import { loadTestSeed, testSeedPath } from './helpers.ts';

const seed = await loadTestSeed();
// The seed as plain JSON, to be broken on purpose field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SeedJson = any;
const broken = (change: (seed: SeedJson) => void): unknown => {
  const copy: SeedJson = structuredClone(seed);
  change(copy);
  return copy;
};
const dir = await mkdtemp(join(tmpdir(), 'clever-seed-'));

describe('the default seed', () => {
  test('has the sandbox district, the Hallpass app and every kind of user', () => {
    const [district] = defaultSeed.districts;
    assert.equal(defaultSeed.districts.length, 1);
    assert.equal(district!.id, '53ee4b8a44abc88c1c00119b');
    assert.equal(district!.sandbox, true);
    assert.equal(district!.login_method, 'google');
    const app = defaultSeed.apps.find((a) => a.client_id === 'hallpass-sandbox-client')!;
    assert.equal(app.client_secret, 'hallpass-sandbox-secret');
    assert.equal(app.oidc, true);
    assert.equal(app.production, false);
    assert.deepEqual(app.redirect_uris, ['http://localhost:8080/sso/clever/callback', 'http://127.0.0.1:8080/sso/clever/callback']);
    assert.deepEqual(app.user_types, ['student', 'teacher', 'school_admin', 'district_admin']);
    assert.deepEqual(app.districts, [district!.id]);
    const users = defaultSeed.users;
    assert.ok(users.some((u) => u.roles.student && !u.email), 'a student without email');
    assert.ok(users.some((u) => /[ñéë]/i.test(`${u.name.first}${u.name.last}`)), 'accented names');
    assert.ok(users.some((u) => /\p{Script=Han}/u.test(u.name.last)), 'a Chinese name');
    assert.ok(users.some((u) => u.roles.teacher && !u.roles.district_admin));
    assert.ok(users.some((u) => u.roles.staff));
    assert.ok(users.some((u) => u.roles.district_admin && !u.roles.teacher));
    assert.ok(users.some((u) => Object.values(u.roles).filter(Boolean).length > 1), 'a multi-role user');
  });
});

describe('parseSeed', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a missing school of a student role', broken((s) => delete s.users[0].roles.student.school), /^seed: users\[0\]\.roles\.student\.school: Required$/m],
    ['an id that is not 24-hex', broken((s) => (s.users[1].id = 'abc')), /^seed: users\[1\]\.id: must be a 24-character lowercase hex id$/m],
    ['an unknown login method', broken((s) => (s.districts[0].login_method = 'saml')), /^seed: districts\[0\]\.login_method: /m],
    ['an unknown field', broken((s) => (s.apps[0].colour = 'blue')), /^seed: apps\[0\]: .*colour/m],
    ['a user with no role', broken((s) => (s.users[0].roles = {})), /^seed: users\[0\]\.roles: a user needs at least one role$/m],
    ['http redirect URIs on a production app', broken((s) => (s.apps[1].redirect_uris = ['http://reading.example/clever'])), /^seed: apps\[1\]\.redirect_uris\[0\]: production apps must use https redirect URIs$/m],
    ['a javascript: website', broken((s) => (s.apps[0].website = 'javascript:alert(document.domain)')), /^seed: apps\[0\]\.website: must be an http or https URL$/m],
    ['a non-http redirect URI', broken((s) => (s.apps[0].redirect_uris = ['javascript:alert(1)'])), /^seed: apps\[0\]\.redirect_uris\[0\]: must be an http or https URL$/m],
    ['a school from another district', broken((s) => (s.users[0].roles.student.school = 'c410ab91c370f64b5647eb23')), /^seed: users\[0\]\.roles\.student\.school: no school with id/m],
    ['an unknown district of a user', broken((s) => (s.users[0].district = '000000000000000000000000')), /^seed: users\[0\]\.district: no district with id/m],
    ['an unknown district of an app', broken((s) => (s.apps[0].districts = ['000000000000000000000000'])), /^seed: apps\[0\]\.districts\[0\]: no district with id/m],
    ['duplicate ids', broken((s) => (s.users[1].id = s.users[0].id)), /^seed: users\[1\]\.id: duplicate id/m],
    ['duplicate usernames in a district', broken((s) => (s.users[1].username = 'NANDU')), /^seed: users\[1\]\.username: duplicate username/m],
    ['duplicate slugs', broken((s) => (s.districts[1].slug = 'rio')), /^seed: districts\[1\]\.slug: duplicate slug/m],
    ['duplicate client ids', broken((s) => (s.apps[1].client_id = 'full-app')), /^seed: apps\[1\]\.client_id: duplicate client_id/m],
    ['two roles sharing the user id', broken((s) => delete s.users[5].roles.teacher.legacy_id && delete s.users[5].roles.district_admin.legacy_id), /^seed: users\[5\]\.roles: a user with several roles needs a legacy_id/m],
    ['not an object', 'hello', /^seed: \(root\): /m],
  ];
  for (const [name, input, message] of cases) {
    test(`names the field: ${name}`, () => {
      assert.throws(() => parseSeed(input), (err: Error) => err.name === 'SeedError' && message.test(err.message));
    });
  }

  test('reports at most five problems', () => {
    const input = broken((s) => s.users.forEach((u: SeedJson) => (u.id = 'x')));
    assert.throws(() => parseSeed(input), /^seed: …and \d+ more problems$/m);
  });

  test('applies defaults', () => {
    assert.equal(parseSeed(seed).apps[1]!.scope, 'read:user_id');
  });
});

describe('loadSeedFile', () => {
  test('reads a seed file', async () => {
    assert.equal((await loadSeedFile(testSeedPath)).districts.length, 3);
  });

  test('bad JSON and missing files are named', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{ "districts": ');
    await assert.rejects(loadSeedFile(path), /bad\.json is not valid JSON/);
    await assert.rejects(loadSeedFile(join(dir, 'missing.json')), /cannot read .*missing\.json/);
  });
});

/** Runs `hallpass sandbox clever ...` under this Node (24, via tsx) and collects its output. */
function cli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'sandbox', 'clever', ...args], {
    env: { ...process.env, HALLPASS_LOG_LEVEL: 'silent' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('hallpass sandbox clever', () => {
  test('a malformed seed stops start-up with the field named and exit code 1', async () => {
    const path = join(dir, 'malformed.json');
    await writeFile(path, JSON.stringify(broken((s) => delete s.users[3].roles.staff.schools)));
    const run = cli(['--seed', path, '--port', '0']);
    assert.equal(await run.exited, 1);
    assert.match(run.output().stderr, /seed: users\[3\]\.roles\.staff\.schools: Required/);
  });

  test('a bad option exits 1', async () => {
    const run = cli(['--port', 'eighty']);
    assert.equal(await run.exited, 1);
    assert.match(run.output().stderr, /--port must be a number/);
  });

  test('starts with a seed file and prints its URL and home page', async () => {
    const run = cli(['--seed', testSeedPath, '--port', '0']);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        run.child.stdout.on('data', () => {
          const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output().stdout);
          if (match) resolve(match[1]!);
        });
        run.exited.then((code) => reject(new Error(`exited ${code}: ${run.output().stderr}`)));
      });
      assert.match(run.output().stdout, /Home page/);
      const home = await (await fetch(`${url}/`)).text();
      assert.match(home, /Distrito Río Sandbox/);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});
