/**
 * Sandbox seeds for broker tests.
 *
 * brokerTestSeed: the shipped seed plus a second district
 * (served by its own organization), a third that no organization serves, a
 * Clever app whose primary redirect URI is its own Clever callback at the
 * broker (`{cleverCallback}/{client_id}`; `{cleverCallback}` itself, which
 * the deployment's first Clever app uses, is registered second), one such
 * app without OIDC, one that
 * supports students only, and two more apps each authorized by one district.
 *
 * severalAppsSeed: three Clever apps (SEVERAL_APPS), each authorized by its
 * own districts, each with its own redirect URIs.
 */
import { createHash } from 'node:crypto';
import { defaultSeed, parseSeed, type ClaimShape, type SandboxSeed } from '../../src/sandbox/clever/index.ts';

export const SANDBOX_DISTRICT = '53ee4b8a44abc88c1c00119b';
export const SECOND_DISTRICT = '5a1f0e6b9c3d2e4f60718293';
export const UNSERVED_DISTRICT = '6b2e1f7c0d4e3f5071829304';

export const HALLPASS_APP = { clientId: 'broker-test-app', clientSecret: 'broker-test-secret' };
export const NO_OIDC_APP = { clientId: 'broker-test-no-oidc', clientSecret: 'broker-test-no-oidc-secret' };
export const STUDENTS_ONLY_APP = { clientId: 'broker-test-students', clientSecret: 'broker-test-students-secret' };
/** Two more Clever apps (another product of the same vendor), each authorized by one district. */
export const SECOND_DISTRICT_APP = { clientId: 'broker-test-app-b', clientSecret: 'broker-test-app-b-secret' };
export const THIRD_DISTRICT_APP = { clientId: 'broker-test-app-c', clientSecret: 'broker-test-app-c-secret' };

/** `claims` picks the sandbox's claim shape (`current`, the default: Clever's documentation today; `legacy`: seed 001's `district_id`). */
export function brokerTestSeed(cleverCallback: string, options: { claims?: ClaimShape } = {}): SandboxSeed {
  const seed = structuredClone(defaultSeed) as SandboxSeed;
  if (options.claims) seed.claims = options.claims;
  const app = (clientId: string, clientSecret: string, over: Partial<SandboxSeed['apps'][number]>) => ({
    client_id: clientId,
    client_secret: clientSecret,
    name: clientId,
    website: 'https://app.example/',
    // Its own callback first (where launches land), then the short one the deployment's first Clever app uses.
    redirect_uris: [`${cleverCallback}/${encodeURIComponent(clientId)}`, cleverCallback],
    user_types: ['student', 'teacher', 'school_admin', 'district_admin'] as SandboxSeed['apps'][number]['user_types'],
    oidc: true,
    production: false,
    districts: [SANDBOX_DISTRICT, SECOND_DISTRICT, UNSERVED_DISTRICT],
    scope: 'read:user_id',
    ...over,
  });
  seed.districts.push(
    { id: SECOND_DISTRICT, name: 'Río Grande Unified', slug: 'rio-grande', login_method: 'clever_passwords', sandbox: false, schools: [{ id: '5a1f0e6b9c3d2e4f60718294', name: 'Lincoln Elementary' }] },
    { id: UNSERVED_DISTRICT, name: 'Unserved District', slug: 'unserved', login_method: 'active_directory', sandbox: true, schools: [{ id: '6b2e1f7c0d4e3f5071829305', name: 'Nowhere High' }] },
  );
  seed.users.push(
    { id: '5a1f0e6b9c3d2e4f607182a1', district: SECOND_DISTRICT, name: { first: 'Begoña', last: 'Ibáñez' }, email: 'begona@rio.example', username: 'begona', password: 'hallpass', roles: { teacher: { school: '5a1f0e6b9c3d2e4f60718294' } } },
    { id: '6b2e1f7c0d4e3f50718293a1', district: UNSERVED_DISTRICT, name: { first: 'Uma', last: 'Unserved' }, email: 'uma@unserved.example', username: 'uma', password: 'hallpass', roles: { student: { school: '6b2e1f7c0d4e3f5071829305' } } },
  );
  seed.apps.push(
    app(HALLPASS_APP.clientId, HALLPASS_APP.clientSecret, {}),
    app(NO_OIDC_APP.clientId, NO_OIDC_APP.clientSecret, { oidc: false }),
    app(STUDENTS_ONLY_APP.clientId, STUDENTS_ONLY_APP.clientSecret, { user_types: ['student'] }),
    app(SECOND_DISTRICT_APP.clientId, SECOND_DISTRICT_APP.clientSecret, { districts: [SECOND_DISTRICT] }),
    app(THIRD_DISTRICT_APP.clientId, THIRD_DISTRICT_APP.clientSecret, { districts: [UNSERVED_DISTRICT] }),
  );
  return seed;
}

// ---------------------------------------------------------------------------
// Several Clever apps in one sandbox (issue 8): three apps, each authorized by
// its own districts, every kind of user in every district.

/** A user of the several-apps fixture; every password is SEVERAL_APPS_PASSWORD. */
export interface FixtureUser {
  /** The Clever user ID: `sub` and `multi_role_user_id`. */
  id: string;
  username: string;
  name: { first: string; last: string };
  email: string;
  /** The ID token's `user_id` per role the user holds (the role's legacy ID). */
  roleIds: Partial<Record<'student' | 'teacher' | 'school_admin' | 'district_admin', string>>;
}

export interface FixtureDistrict {
  id: string;
  name: string;
  /** The portal is `/in/{slug}`. */
  slug: string;
  /** `clever_passwords`, `google` or `active_directory`: which login page the district shows. */
  loginMethod: 'clever_passwords' | 'google' | 'active_directory';
  schoolId: string;
  users: {
    student: FixtureUser;
    teacher: FixtureUser;
    /** `user_type` `staff` (current shape) / `school_admin` (legacy). */
    staff: FixtureUser;
    /** `user_type` `district admin` (current) / `district_admin` (legacy). */
    districtAdmin: FixtureUser;
    /** A teacher who is also a school admin: picks a role after signing in. */
    multiRole: FixtureUser;
  };
}

export interface FixtureApp {
  /** Short name: `alpha`, `beta`, `gamma`. */
  key: 'alpha' | 'beta' | 'gamma';
  clientId: string;
  clientSecret: string;
  name: string;
  /** The districts that authorized this app, and only this one. */
  districts: FixtureDistrict[];
}

export const SEVERAL_APPS_PASSWORD = 'hallpass';

/** A stable 24-hex Clever-style ID for a label, so the fixture's IDs never change between runs. */
function fixtureId(label: string): string {
  return createHash('sha256').update(`several-apps/${label}`).digest('hex').slice(0, 24);
}

function fixtureDistrict(slug: string, name: string, loginMethod: FixtureDistrict['loginMethod']): FixtureDistrict {
  const person = (kind: string, first: string, last: string, roles: (keyof FixtureUser['roleIds'])[]): FixtureUser => {
    const id = fixtureId(`${slug}/${kind}`);
    // A single-role user's user_id is their own ID; a multi-role user's roles each have their own.
    const roleIds = Object.fromEntries(roles.map((role) => [role, roles.length === 1 ? id : fixtureId(`${slug}/${kind}/${role}`)]));
    return { id, username: `${kind}.${slug}`, name: { first, last }, email: `${kind}@${slug}.example`, roleIds };
  };
  return {
    id: fixtureId(slug),
    name,
    slug,
    loginMethod,
    schoolId: fixtureId(`${slug}/school`),
    users: {
      student: person('student', 'Ñandú', `Pérez-${slug}`, ['student']),
      teacher: person('teacher', 'José', `García-${slug}`, ['teacher']),
      staff: person('staff', 'Priya', `Natarajan-${slug}`, ['school_admin']),
      districtAdmin: person('admin', 'Dana', `Okafor-${slug}`, ['district_admin']),
      multiRole: person('multi', 'Marisol', `Quiñones-${slug}`, ['teacher', 'school_admin']),
    },
  };
}

/** The fixture's apps and districts: alpha serves two districts, beta and gamma one each. */
export const SEVERAL_APPS: readonly FixtureApp[] = [
  {
    key: 'alpha',
    clientId: 'clever-app-alpha',
    clientSecret: 'clever-app-alpha-secret',
    name: 'Alpha Reading',
    districts: [fixtureDistrict('alpha-north', 'Alpha North Unified', 'clever_passwords'), fixtureDistrict('alpha-south', 'Alpha South Schools', 'google')],
  },
  {
    key: 'beta',
    clientId: 'clever-app-beta',
    clientSecret: 'clever-app-beta-secret',
    name: 'Beta Math',
    districts: [fixtureDistrict('beta-valley', 'Beta Valley District', 'active_directory')],
  },
  {
    key: 'gamma',
    clientId: 'clever-app-gamma',
    clientSecret: 'clever-app-gamma-secret',
    name: 'Gamma Science',
    districts: [fixtureDistrict('gamma-hills', 'Gamma Hills Public Schools', 'clever_passwords')],
  },
];

function seedUser(district: FixtureDistrict, user: FixtureUser): SandboxSeed['users'][number] {
  const { student, teacher, school_admin: staff, district_admin: admin } = user.roleIds;
  const multi = Object.keys(user.roleIds).length > 1;
  const legacy = (id: string | undefined) => (multi && id ? { legacy_id: id } : {});
  return {
    id: user.id,
    district: district.id,
    name: user.name,
    email: user.email,
    username: user.username,
    password: SEVERAL_APPS_PASSWORD,
    roles: {
      ...(student ? { student: { ...legacy(student), school: district.schoolId, grade: '5' } } : {}),
      ...(teacher ? { teacher: { ...legacy(teacher), school: district.schoolId, title: 'Teacher' } } : {}),
      ...(staff ? { staff: { ...legacy(staff), schools: [district.schoolId], title: 'Principal' } } : {}),
      ...(admin ? { district_admin: { ...legacy(admin), title: 'Superintendent' } } : {}),
    },
  };
}

/**
 * A sandbox seed with the three SEVERAL_APPS, each authorized by its own
 * districts (none shared), every district with a student, a teacher, a
 * staff member, a district admin and a multi-role user. Production districts,
 * so the school picker finds them by school name ("{district name} School").
 *
 * @param redirectUris each app's redirect URIs, primary first: Portal and
 *   Instant Login launches of that app go to its primary one.
 * @param options.claims the claim shape (default: the sandbox's, `current`).
 * @param options.oidc whether an app gets ID tokens (default: all do).
 */
export function severalAppsSeed(
  redirectUris: (app: FixtureApp) => string[],
  options: { claims?: ClaimShape; oidc?: (app: FixtureApp) => boolean } = {},
): SandboxSeed {
  const districts = SEVERAL_APPS.flatMap((app) => app.districts);
  return parseSeed({
    ...(options.claims ? { claims: options.claims } : {}),
    districts: districts.map((d) => ({
      id: d.id,
      name: d.name,
      slug: d.slug,
      login_method: d.loginMethod,
      sandbox: false,
      schools: [{ id: d.schoolId, name: `${d.name} School` }],
    })),
    users: districts.flatMap((d) => Object.values(d.users).map((user) => seedUser(d, user))),
    apps: SEVERAL_APPS.map((app) => ({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      name: app.name,
      website: `https://${app.key}.example/`,
      redirect_uris: redirectUris(app),
      user_types: ['student', 'teacher', 'school_admin', 'district_admin'],
      oidc: options.oidc ? options.oidc(app) : true,
      production: false,
      districts: app.districts.map((d) => d.id),
    })),
  });
}
