/**
 * The sandbox's seed: districts with their schools, users with their roles,
 * and the apps districts have authorized. Field names follow Clever's own
 * (snake_case, `roles.staff` for school admins) so a seed reads like the
 * Data API it feeds.
 */
import { z } from 'zod';
import { claimShapes } from '../settings.ts';

const cleverId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character lowercase hex id');
const text = z.string().trim().min(1, 'must not be empty').max(200);
const optionalText = text.optional();
/** The portal links to an app's website: http(s) only, never `javascript:`. */
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });

/** How a district's users prove who they are before Clever signs them in. */
export const loginMethods = ['clever_passwords', 'google', 'active_directory'] as const;
export type LoginMethod = (typeof loginMethods)[number];

/**
 * The sandbox's names for the four kinds of user, in the order pages list
 * them. They are the older `user_type` spellings; the claims module writes
 * them as the chosen claim shape spells them (`staff`, `district admin`).
 */
export const userTypes = ['student', 'teacher', 'school_admin', 'district_admin'] as const;
export type UserType = (typeof userTypes)[number];

/** A seed may name user types in either spelling; `staff` and `district admin` are Clever's current ones. */
const userTypeSpellings: Record<string, UserType> = {
  student: 'student',
  teacher: 'teacher',
  school_admin: 'school_admin',
  staff: 'school_admin',
  district_admin: 'district_admin',
  'district admin': 'district_admin',
};
const seedUserType = z
  .enum(Object.keys(userTypeSpellings) as [string, ...string[]], {
    error: `must be one of ${Object.keys(userTypeSpellings).map((t) => `"${t}"`).join(', ')}`,
  })
  .transform((spelling) => userTypeSpellings[spelling]!);

const schoolSchema = z.strictObject({
  id: cleverId,
  name: text,
});

const districtSchema = z.strictObject({
  id: cleverId,
  name: text,
  /** The `{slug}` of the district's portal URL, `/in/{slug}`. */
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes'),
  login_method: z.enum(loginMethods),
  /** Sandbox districts are found in the school picker only by their district ID. */
  sandbox: z.boolean(),
  state: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter state code').optional(),
  schools: z.array(schoolSchema).min(1, 'a district needs at least one school'),
});

// `legacy_id` is the role's own ID (the ID token's `user_id`); it defaults to
// the user's ID, which is how single-role users look in Clever.
const studentRole = z.strictObject({
  legacy_id: cleverId.optional(),
  school: cleverId,
  schools: z.array(cleverId).optional(),
  grade: optionalText,
  sis_id: optionalText,
  student_number: optionalText,
});

const teacherRole = z.strictObject({
  legacy_id: cleverId.optional(),
  school: cleverId,
  schools: z.array(cleverId).optional(),
  sis_id: optionalText,
  teacher_number: optionalText,
  title: optionalText,
});

const staffRole = z.strictObject({
  legacy_id: cleverId.optional(),
  schools: z.array(cleverId).min(1, 'a school admin needs at least one school'),
  sis_id: optionalText,
  title: optionalText,
});

const districtAdminRole = z.strictObject({
  legacy_id: cleverId.optional(),
  title: optionalText,
});

const rolesSchema = z
  .strictObject({
    student: studentRole.optional(),
    teacher: teacherRole.optional(),
    staff: staffRole.optional(),
    district_admin: districtAdminRole.optional(),
  })
  .refine((roles) => Object.values(roles).some(Boolean), 'a user needs at least one role');

const userSchema = z.strictObject({
  id: cleverId,
  district: cleverId,
  name: z.strictObject({ first: text, middle: optionalText, last: text }),
  email: z.email().nullable().optional(),
  /** The sign-in name on the district's login form (unique within the district). */
  username: text,
  password: z.string().min(1, 'must not be empty').max(200),
  roles: rolesSchema,
});

const appSchema = z.strictObject({
  client_id: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1-100 letters, digits, dots, dashes or underscores'),
  client_secret: z.string().min(8, 'must be at least 8 characters').max(200),
  name: text,
  /** Where admins land when they click an app that does not support their user type. */
  website: httpUrl,
  /** In order: the first is the primary redirect URI, used by Portal and Instant Login launches. */
  redirect_uris: z.array(z.url()).min(1, 'an app needs at least one redirect URI'),
  user_types: z.array(seedUserType).min(1, 'an app needs at least one user type'),
  /** Apps configured for OIDC receive an `id_token` from the token endpoint. */
  oidc: z.boolean(),
  /** Production apps may only use https redirect URIs. */
  production: z.boolean(),
  /** IDs of the districts that have authorized the app. */
  districts: z.array(cleverId),
  /** The `scope` Clever appends to redirects; Clever assigns it per app, so apps cannot ask for one. */
  scope: z.string().min(1).max(500).default('read:user_id'),
});

/** What is wrong with an app's redirect URI (already a valid URL), if anything: the rules Clever's dashboard applies. */
export function redirectUriProblems(uri: string, production: boolean): string[] {
  const { protocol, hash } = new URL(uri);
  const problems: string[] = [];
  if (hash) problems.push('a redirect URI must not have a fragment');
  if (production && protocol !== 'https:') problems.push('production apps must use https redirect URIs');
  else if (protocol !== 'https:' && protocol !== 'http:') problems.push('must be an http or https URL');
  return problems;
}

/** Cross-references the schema alone cannot check: ids, slugs and usernames are unique and point at things that exist. */
function checkReferences(seed: z.output<typeof shape>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const districts = new Map(seed.districts.map((d) => [d.id, d]));
  const seenIds = new Set<string>();
  const unique = (id: string, path: (string | number)[]) => {
    if (seenIds.has(id)) issue(path, `duplicate id ${id}`);
    seenIds.add(id);
  };
  const slugs = new Set<string>();
  seed.districts.forEach((district, d) => {
    unique(district.id, ['districts', d, 'id']);
    if (slugs.has(district.slug)) issue(['districts', d, 'slug'], `duplicate slug ${district.slug}`);
    slugs.add(district.slug);
    district.schools.forEach((school, s) => unique(school.id, ['districts', d, 'schools', s, 'id']));
  });
  const usernames = new Set<string>();
  seed.users.forEach((user, u) => {
    unique(user.id, ['users', u, 'id']);
    const district = districts.get(user.district);
    if (!district) return issue(['users', u, 'district'], `no district with id ${user.district}`);
    const key = `${user.district}/${user.username.toLowerCase()}`;
    if (usernames.has(key)) issue(['users', u, 'username'], `duplicate username ${user.username} in district ${user.district}`);
    usernames.add(key);
    const schoolIds = new Set(district.schools.map((s) => s.id));
    const checkSchool = (id: string, path: (string | number)[]) => {
      if (!schoolIds.has(id)) issue(['users', u, 'roles', ...path], `no school with id ${id} in district ${user.district}`);
    };
    const { student, teacher, staff } = user.roles;
    if (student) checkSchool(student.school, ['student', 'school']);
    student?.schools?.forEach((id, i) => checkSchool(id, ['student', 'schools', i]));
    if (teacher) checkSchool(teacher.school, ['teacher', 'school']);
    teacher?.schools?.forEach((id, i) => checkSchool(id, ['teacher', 'schools', i]));
    staff?.schools.forEach((id, i) => checkSchool(id, ['staff', 'schools', i]));
    // Each role's legacy id is that role's `user_id`, so two roles of one user
    // cannot both fall back to the user's id.
    const roleEntries = Object.entries(user.roles).filter(([, role]) => role);
    const defaulted = roleEntries.filter(([, role]) => !role!.legacy_id);
    if (defaulted.length > 1) {
      issue(['users', u, 'roles'], 'a user with several roles needs a legacy_id on all but one of them');
    }
    for (const [name, role] of roleEntries) {
      if (role!.legacy_id) unique(role!.legacy_id, ['users', u, 'roles', name, 'legacy_id']);
    }
  });
  const clientIds = new Set<string>();
  seed.apps.forEach((app, a) => {
    if (clientIds.has(app.client_id)) issue(['apps', a, 'client_id'], `duplicate client_id ${app.client_id}`);
    clientIds.add(app.client_id);
    app.districts.forEach((id, i) => {
      if (!districts.has(id)) issue(['apps', a, 'districts', i], `no district with id ${id}`);
    });
    app.redirect_uris.forEach((uri, i) => {
      for (const problem of redirectUriProblems(uri, app.production)) issue(['apps', a, 'redirect_uris', i], problem);
    });
  });
}

const shape = z.strictObject({
  /** The ID-token and `/userinfo` shape (see settings.ts); default `current`. A start option or `--claims` overrides it. */
  claims: z.enum(claimShapes).optional(),
  districts: z.array(districtSchema).min(1, 'a seed needs at least one district'),
  users: z.array(userSchema),
  apps: z.array(appSchema),
});

export const seedSchema = shape.superRefine(checkReferences);

/** A validated sandbox seed (defaults applied). */
export type SandboxSeed = z.output<typeof seedSchema>;
export type SeedDistrict = SandboxSeed['districts'][number];
export type SeedUser = SandboxSeed['users'][number];
export type SeedApp = SandboxSeed['apps'][number];
