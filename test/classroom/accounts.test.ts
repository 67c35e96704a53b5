/**
 * How Classroom finds the account for a Clever sign-in (Clever ID first, then
 * email, never merging two Clever IDs), what it reads from Hallpass's
 * profile, and UTF-8 names in its SQLite file. Real SQLite, no HTTP: the
 * browser suites drive the same code through Hallpass and the sandbox.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { cleverIdentityFrom, type CleverIdentity } from '../../examples/classroom/src/clever-identity.ts';
import { readConfig } from '../../examples/classroom/src/config.ts';
import { openDatabase, type Database } from '../../examples/classroom/src/database.ts';
import { inviteUser, setPreferredName, signInUser } from '../../examples/classroom/src/users.ts';

const DISTRICT = '53ee4b8a44abc88c1c00119b';
const person = (over: Partial<CleverIdentity> = {}): CleverIdentity => ({
  cleverId: 'd4bc587efcd7a7240ef0d662',
  email: 'nandu.perez@sandbox.hallpass.example',
  firstName: 'Ñandú',
  lastName: 'Pérez',
  userType: 'student',
  districtId: DISTRICT,
  organizationId: 'org_1',
  school: null,
  ...over,
});

describe('Classroom accounts', () => {
  let dir: string;
  let file: string;
  let db: Database;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'classroom-accounts-'));
    file = join(dir, 'classroom.sqlite');
    db = openDatabase(file);
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a returning user is found by Clever ID although Clever now sends another email, or none', () => {
    const first = signInUser(db, person(), 1);
    assert.equal(first.matchedBy, 'new');
    setPreferredName(db, first.user.id, 'Ñandú');
    const changed = signInUser(db, person({ email: 'n.perez@new-domain.example' }), 2);
    assert.deepEqual([changed.matchedBy, changed.user.id, changed.user.email, changed.user.preferredName], ['clever_id', first.user.id, 'n.perez@new-domain.example', 'Ñandú']);
    const none = signInUser(db, person({ email: null }), 3);
    assert.deepEqual([none.matchedBy, none.user.id, none.user.email], ['clever_id', first.user.id, null]);
  });

  it('a user without email signs in, and again, as one account', () => {
    const zoe = person({ cleverId: 'de2558d932132fabb9bbd3b0', email: null, firstName: 'Zoë', lastName: 'Brontë' });
    const first = signInUser(db, zoe, 1);
    const again = signInUser(db, zoe, 2);
    assert.deepEqual([first.matchedBy, again.matchedBy, again.user.id], ['new', 'clever_id', first.user.id]);
  });

  it('an account made ahead of time is linked by email (any case) at the first Clever sign-in, keeping what was set', () => {
    const invited = inviteUser(db, { email: 'Nandu.Perez@Sandbox.Hallpass.Example', preferredName: 'Nandu from the class list' }, 1);
    const signedIn = signInUser(db, person(), 2);
    assert.deepEqual([signedIn.matchedBy, signedIn.user.id, signedIn.user.cleverId, signedIn.user.preferredName], ['email', invited.id, person().cleverId, 'Nandu from the class list']);
  });

  it('an email already linked to another Clever ID makes a separate account: two Clever IDs are never merged', () => {
    const original = signInUser(db, person(), 1).user;
    setPreferredName(db, original.id, 'Ñandú');
    const other = signInUser(db, person({ cleverId: '0000000000000000000000aa', firstName: 'Otro' }), 2);
    assert.equal(other.matchedBy, 'new');
    assert.notEqual(other.user.id, original.id);
    assert.equal(other.user.preferredName, null, 'nothing of the first account carries over');
    const untouched = signInUser(db, person(), 3).user;
    assert.deepEqual([untouched.id, untouched.firstName, untouched.preferredName], [original.id, 'Ñandú', 'Ñandú']);
  });

  it('the database refuses a second account for a Clever ID, and two unlinked accounts with one email', () => {
    signInUser(db, person(), 1);
    assert.throws(() => db.prepare('INSERT INTO users (clever_id, created_at) VALUES (?, 1)').run(person().cleverId), /UNIQUE/);
    inviteUser(db, { email: 'teacher@school.example', preferredName: null }, 1);
    assert.throws(() => inviteUser(db, { email: 'TEACHER@school.example', preferredName: null }, 2), /UNIQUE/);
  });

  it('keeps UTF-8 names byte for byte in the SQLite file', () => {
    const li = signInUser(db, person({ cleverId: '7225fda76cd2681d0b654c6a', firstName: '明', lastName: '李', email: null }), 1).user;
    setPreferredName(db, li.id, 'Ñandú é 李');
    db.close();
    db = openDatabase(file);
    const row = db.prepare('SELECT first_name, last_name, preferred_name, hex(last_name) AS hex FROM users WHERE id = ?').get(li.id) as Record<string, string>;
    assert.deepEqual({ ...row }, { first_name: '明', last_name: '李', preferred_name: 'Ñandú é 李', hex: Buffer.from('李').toString('hex').toUpperCase() });
  });
});

describe("Classroom's reading of Hallpass's Clever profile", () => {
  // Classroom's own SDK version's Profile (the root package keeps an older SDK for the broker's tests).
  type Profile = Parameters<typeof cleverIdentityFrom>[0];
  const profile = (over: Partial<Profile>): Profile => ({
    object: 'profile', id: 'prof_1', idpId: 'd4bc587efcd7a7240ef0d662', organizationId: 'org_1', connectionId: 'conn_1',
    connectionType: 'CleverOIDC' as Profile['connectionType'], email: 'a@b.example', name: null,
    firstName: 'Ñandú', lastName: 'Pérez', groups: ['student'], rawAttributes: {}, ...over,
  });

  it('reads the district from `district` (current ID tokens) or `district_id` (older ones), the type from `user_type`', () => {
    assert.equal(cleverIdentityFrom(profile({ rawAttributes: { district: 'new-shape', district_id: 'old', user_type: 'teacher' } })).districtId, 'new-shape');
    const old = cleverIdentityFrom(profile({ rawAttributes: { district_id: DISTRICT, user_type: 'teacher' } }));
    assert.deepEqual([old.districtId, old.userType], [DISTRICT, 'teacher']);
  });

  it('falls back to the one group for the type, and reads the school from Data API roles', () => {
    const fromDataApi = cleverIdentityFrom(profile({ groups: ['student'], rawAttributes: { district_id: DISTRICT, roles: { student: { school: 'dbb0520fee83cabb6190bb52' } } } }));
    assert.deepEqual([fromDataApi.userType, fromDataApi.school], ['student', 'dbb0520fee83cabb6190bb52']);
    const staff = cleverIdentityFrom(profile({ groups: ['school_admin'], rawAttributes: { roles: { staff: { schools: ['s1', 's2'] } } } }));
    assert.deepEqual([staff.userType, staff.school], ['school_admin', 's1']);
    const multiRoleWithoutPick = cleverIdentityFrom(profile({ groups: ['teacher', 'district_admin'], rawAttributes: {} }));
    assert.equal(multiRoleWithoutPick.userType, null);
    assert.equal(cleverIdentityFrom(profile({ email: '' as string })).email, null);
  });
});

describe("Classroom's configuration", () => {
  it('lists every missing or malformed variable at once', () => {
    assert.throws(
      () => readConfig({ HALLPASS_URL: 'ftp://x', CLASSROOM_PORT: 'eighty', CLASSROOM_IDLE_TIMEOUT_MINUTES: '0' }),
      (err: Error) =>
        ['HALLPASS_URL must be an http(s) URL', 'HALLPASS_API_KEY is required', 'HALLPASS_CLIENT_ID is required', 'CLASSROOM_PORT must be', 'CLASSROOM_IDLE_TIMEOUT_MINUTES must be'].every((part) =>
          err.message.includes(part),
        ),
    );
  });

  it('has defaults for everything but how to reach Hallpass', () => {
    const config = readConfig({ HALLPASS_URL: 'https://sso.example.com', HALLPASS_API_KEY: 'sk_x', HALLPASS_CLIENT_ID: 'client_x' });
    assert.deepEqual(
      { ...config, hallpassUrl: config.hallpassUrl.href },
      { hallpassUrl: 'https://sso.example.com/', apiKey: 'sk_x', clientId: 'client_x', cleverClientId: undefined, port: 8082, host: '127.0.0.1', publicUrl: undefined, databaseFile: './classroom.sqlite', idleTimeoutMinutes: 30 },
    );
  });
});
