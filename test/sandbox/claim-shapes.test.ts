/**
 * The two claim shapes, user type by user type: `current` (Clever's "OIDC
 * Implementation" and "/userinfo" pages today, the default) and `legacy`
 * (seed 001), chosen by start option, seed setting or `--claims`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { parseSeed, type ClaimShape } from '../../src/sandbox/clever/index.ts';
import { UserAgent } from '../support/user-agent.ts';
import { atApp, fullApp, ids, loadTestSeed, redeemCode, signIn, startTestSandbox, testSeedPath } from './helpers.ts';

const seed = await loadTestSeed();
const current = await startTestSandbox();
const legacy = await startTestSandbox(seed, { claims: 'legacy' });
const school = '56fc1aa290432f7115705065';

/** Signs in (picking `role` if the user has several) and returns the ID token's claims and the /userinfo answer. */
async function claimsOf(sandbox: { url: string; clock: { now: () => number } }, username: string, role?: string) {
  const base = sandbox.url;
  const ua = new UserAgent();
  const start = await ua.get(`${base}/oauth/authorize?response_type=code&client_id=${fullApp.clientId}&district_id=${ids.rio}&nonce=n`, { stopAt: atApp });
  let done = await signIn(ua, start, username, `pw-${username}`);
  if (role) done = await ua.submit(done, { form: `role-${role}`, stopAt: atApp });
  assert.equal(done.stopped, true, done.body.slice(0, 300));
  const response = await redeemCode(base, new URL(done.url).searchParams.get('code')!, fullApp.primary);
  const tokens = (await response.json()) as { id_token: string; access_token: string };
  const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(`${base}/oauth/certs`)), {
    issuer: base,
    audience: fullApp.clientId,
    currentDate: new Date(sandbox.clock.now()),
  });
  const { iss, aud, iat, exp, nonce, ...idToken } = payload;
  assert.deepEqual([iss, aud, nonce, (exp as number) - (iat as number)], [base, fullApp.clientId, 'n', 3600]);
  const userinfo = await (await fetch(`${base}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
  return { idToken, userinfo: userinfo as Record<string, unknown> };
}

interface Person {
  username: string;
  role?: string;
  sub: string;
  userId: string;
  email?: string;
  name: { first: string; middle?: string; last: string };
  schools: string[];
  types: Record<ClaimShape, string>;
}

const people: Person[] = [
  { username: 'nandu', sub: ids.nandu, userId: ids.nandu, email: 'nandu@rio.example', name: { first: 'Ñandú', last: 'Pérez' }, schools: [school], types: { current: 'student', legacy: 'student' } },
  { username: 'zoe', sub: ids.zoe, userId: ids.zoe, name: { first: 'Zoë', middle: 'Él', last: '<b>Brontë</b>' }, schools: [school], types: { current: 'student', legacy: 'student' } },
  { username: 'li', sub: ids.li, userId: ids.li, email: 'li@rio.example', name: { first: '明', last: '李' }, schools: [school], types: { current: 'teacher', legacy: 'teacher' } },
  { username: 'sam', sub: ids.sam, userId: ids.sam, email: 'sam@rio.example', name: { first: 'Sam', last: 'Principal' }, schools: [school], types: { current: 'staff', legacy: 'school_admin' } },
  { username: 'dana', sub: ids.dana, userId: ids.dana, email: 'dana@rio.example', name: { first: 'Dana', last: 'Admin' }, schools: [], types: { current: 'district admin', legacy: 'district_admin' } },
  { username: 'marisol', role: 'teacher', sub: ids.marisol, userId: ids.marisolTeacher, email: 'marisol@rio.example', name: { first: 'Marisol', last: 'Quiñones' }, schools: [school], types: { current: 'teacher', legacy: 'teacher' } },
  { username: 'marisol', role: 'district_admin', sub: ids.marisol, userId: ids.marisolDistrictAdmin, email: 'marisol@rio.example', name: { first: 'Marisol', last: 'Quiñones' }, schools: [], types: { current: 'district admin', legacy: 'district_admin' } },
];

const label = (p: Person) => (p.role ? `${p.username} as ${p.role}` : p.username);

describe('the current claim shape (the default)', () => {
  for (const person of people) {
    test(`${label(person)}: district in the ID token, user_type ${person.types.current}, /userinfo as Clever's example`, async () => {
      const { idToken, userinfo } = await claimsOf(current, person.username, person.role);
      const email = person.email ? { email: person.email } : {};
      const common = { sub: person.sub, user_id: person.userId, multi_role_user_id: person.sub, user_type: person.types.current, ...email, email_verified: false, given_name: person.name.first, family_name: person.name.last };
      assert.deepEqual(idToken, { ...common, district: ids.rio });
      assert.deepEqual(userinfo, {
        ...common,
        district_id: ids.rio,
        district: ids.rio,
        name: { first: person.name.first, last: person.name.last, middle: person.name.middle ?? '' },
        schools: person.schools,
        authorized_by: 'district',
      });
    });
  }

  test('the discovery document lists both district claims', async () => {
    const doc = (await (await fetch(`${current.url}/.well-known/openid-configuration`)).json()) as { claims_supported: string[] };
    for (const claim of ['district', 'district_id', 'schools', 'authorized_by', 'multi_role_user_id']) assert.ok(doc.claims_supported.includes(claim), claim);
    assert.equal(current.sandbox.claims, 'current');
    assert.match(await (await fetch(`${current.url}/`)).text(), /id="claim-shape">current shape/);
  });
});

describe('the legacy claim shape (seed 001)', () => {
  for (const person of people) {
    test(`${label(person)}: district_id in the ID token, user_type ${person.types.legacy}`, async () => {
      const { idToken, userinfo } = await claimsOf(legacy, person.username, person.role);
      const email = person.email ? { email: person.email } : {};
      const common = { sub: person.sub, user_id: person.userId, multi_role_user_id: person.sub, user_type: person.types.legacy, district_id: ids.rio, ...email, email_verified: false, given_name: person.name.first, family_name: person.name.last };
      assert.deepEqual(idToken, common);
      assert.deepEqual(userinfo, { ...common, name: { first: person.name.first, ...(person.name.middle ? { middle: person.name.middle } : {}), last: person.name.last } });
    });
  }

  test('the discovery document lists district_id, not district', async () => {
    const doc = (await (await fetch(`${legacy.url}/.well-known/openid-configuration`)).json()) as { claims_supported: string[] };
    assert.ok(doc.claims_supported.includes('district_id'));
    assert.equal(doc.claims_supported.includes('district'), false);
    assert.match(await (await fetch(`${legacy.url}/`)).text(), /id="claim-shape">legacy shape/);
  });
});

describe('choosing the shape', () => {
  const districtClaims = async (sandbox: { url: string; clock: { now: () => number } }) => {
    const { idToken } = await claimsOf(sandbox, 'sam');
    return { district: idToken.district, district_id: idToken.district_id, user_type: idToken.user_type };
  };

  test('a seed may ask for the legacy shape', async () => {
    const fromSeed = await startTestSandbox(parseSeed({ ...structuredClone(seed), claims: 'legacy' }));
    assert.deepEqual(await districtClaims(fromSeed), { district: undefined, district_id: ids.rio, user_type: 'school_admin' });
  });

  test('the start option wins over the seed', async () => {
    const overridden = await startTestSandbox(parseSeed({ ...structuredClone(seed), claims: 'legacy' }), { claims: 'current' });
    assert.deepEqual(await districtClaims(overridden), { district: ids.rio, district_id: undefined, user_type: 'staff' });
  });

  test('a seed with another shape name is refused, naming the field', () => {
    assert.throws(() => parseSeed({ ...structuredClone(seed), claims: 'v2' }), /seed: claims: Invalid option: expected one of "current"\|"legacy"/);
  });

  test("apps' user_types may be written in either spelling", () => {
    const parsed = parseSeed({ ...structuredClone(seed), apps: [{ ...structuredClone(seed.apps[0]!), user_types: ['student', 'staff', 'district admin'] }] });
    assert.deepEqual(parsed.apps[0]!.user_types, ['student', 'school_admin', 'district_admin']);
    assert.throws(() => parseSeed({ ...structuredClone(seed), apps: [{ ...structuredClone(seed.apps[0]!), user_types: ['principal'] }] }), /apps\[0\]\.user_types\[0\]: must be one of/);
  });
});

describe('rewriting claims, for tests of clients', () => {
  test('an ID token without a district, a /userinfo answer with district_id only', async () => {
    const rewritten = await startTestSandbox(seed, {
      rewriteClaims: { idToken: (claims) => ({ ...claims, district: undefined }), userinfo: (claims) => ({ ...claims, district: undefined }) },
    });
    const { idToken, userinfo } = await claimsOf(rewritten, 'nandu');
    assert.equal('district' in idToken || 'district_id' in idToken, false);
    assert.equal(userinfo.district_id, ids.rio);
    assert.equal('district' in userinfo, false);
    assert.equal(idToken.sub, ids.nandu);
  });

  test('an ID token whose district and district_id disagree', async () => {
    const rewritten = await startTestSandbox(seed, { rewriteClaims: { idToken: (claims) => ({ ...claims, district_id: ids.springfield }) } });
    const { idToken } = await claimsOf(rewritten, 'li');
    assert.deepEqual([idToken.district, idToken.district_id], [ids.rio, ids.springfield]);
  });
});

/** Runs `hallpass sandbox clever ...` and resolves with its URL once it listens. */
function cli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'sandbox', 'clever', '--port', '0', ...args], {
    env: { ...process.env, HALLPASS_LOG_LEVEL: 'silent' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match && /Claims:/.test(stdout)) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  listening.catch(() => {});
  return { child, exited, listening, output: () => ({ stdout, stderr }) };
}

describe('hallpass sandbox clever --claims', () => {
  test('--claims legacy serves the legacy shape and says so', async () => {
    const run = cli(['--seed', testSeedPath, '--claims', 'legacy']);
    try {
      const url = await run.listening;
      assert.match(run.output().stdout, /Claims: legacy shape/);
      const doc = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as { claims_supported: string[] };
      assert.equal(doc.claims_supported.includes('district'), false);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  test('a seed file asking for legacy is overridden by --claims current', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clever-claims-'));
    const path = join(dir, 'legacy-seed.json');
    await writeFile(path, JSON.stringify({ ...structuredClone(seed), claims: 'legacy' }));
    const run = cli(['--seed', path, '--claims', 'current']);
    try {
      await run.listening;
      assert.match(run.output().stdout, /Claims: current shape/);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  test('an unknown shape or a bad setting exits 1 naming the flag', async () => {
    const bad = cli(['--claims', 'newest']);
    assert.equal(await bad.exited, 1);
    assert.match(bad.output().stderr, /--claims must be current or legacy, not "newest"/);
    const zero = cli(['--headers-timeout', '0']);
    assert.equal(await zero.exited, 1);
    assert.match(zero.output().stderr, /--headers-timeout: /);
    const inverted = cli(['--headers-timeout', '5000', '--request-timeout', '1000']);
    assert.equal(await inverted.exited, 1);
    assert.match(inverted.output().stderr, /--headers-timeout: the headers timeout must not exceed the request timeout/);
  });
});
