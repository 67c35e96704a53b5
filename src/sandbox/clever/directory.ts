/**
 * Read-only lookups over a validated seed: who is who, which roles they hold
 * and which apps a district has authorized.
 */
import type { SandboxSeed, SeedApp, SeedDistrict, SeedUser, UserType } from './seed/seed-schema.ts';

/** One role of a user, as the ID token and the portal see it. */
export interface UserRole {
  /** The role's user type; flow/user-claims.ts spells it as the claim shape does. */
  type: UserType;
  /** The role key in the Data API's `roles` object. */
  key: 'student' | 'teacher' | 'staff' | 'district_admin';
  /** The ID token's `user_id`: the role's legacy id, or the user's id. */
  userId: string;
}

const roleKeys = [
  ['student', 'student'],
  ['teacher', 'teacher'],
  ['staff', 'school_admin'],
  ['district_admin', 'district_admin'],
] as const;

export class Directory {
  readonly seed: SandboxSeed;
  private readonly districtsById: Map<string, SeedDistrict>;
  private readonly districtsBySlug: Map<string, SeedDistrict>;
  private readonly usersById: Map<string, SeedUser>;
  private readonly appsByClientId: Map<string, SeedApp>;

  constructor(seed: SandboxSeed) {
    this.seed = seed;
    this.districtsById = new Map(seed.districts.map((d) => [d.id, d]));
    this.districtsBySlug = new Map(seed.districts.map((d) => [d.slug, d]));
    this.usersById = new Map(seed.users.map((u) => [u.id, u]));
    this.appsByClientId = new Map(seed.apps.map((a) => [a.client_id, a]));
  }

  district(id: string): SeedDistrict | undefined {
    return this.districtsById.get(id);
  }

  districtBySlug(slug: string): SeedDistrict | undefined {
    return this.districtsBySlug.get(slug);
  }

  user(id: string): SeedUser | undefined {
    return this.usersById.get(id);
  }

  app(clientId: string): SeedApp | undefined {
    return this.appsByClientId.get(clientId);
  }

  usersOf(districtId: string): SeedUser[] {
    return this.seed.users.filter((u) => u.district === districtId);
  }

  /** Apps the district has authorized, in seed order. */
  appsOf(districtId: string): SeedApp[] {
    return this.seed.apps.filter((a) => a.districts.includes(districtId));
  }

  /** Sign-in names are matched without regard to case, as login forms usually do. */
  findByUsername(districtId: string, username: string): SeedUser | undefined {
    const wanted = username.trim().toLowerCase();
    return this.seed.users.find((u) => u.district === districtId && u.username.toLowerCase() === wanted);
  }

  /**
   * The school picker's search. Production districts are found by a school's
   * name (case-insensitive substring); sandbox districts only by their exact id.
   */
  searchSchools(query: string): { district: SeedDistrict; schoolName: string | null }[] {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const results: { district: SeedDistrict; schoolName: string | null }[] = [];
    for (const district of this.seed.districts) {
      if (district.sandbox) {
        if (district.id === q) results.push({ district, schoolName: null });
        continue;
      }
      for (const school of district.schools) {
        if (school.name.toLowerCase().includes(q)) results.push({ district, schoolName: school.name });
      }
    }
    return results;
  }
}

/** The roles a user holds, in a fixed order (student, teacher, school admin, district admin). */
export function rolesOf(user: SeedUser): UserRole[] {
  const roles: UserRole[] = [];
  for (const [key, type] of roleKeys) {
    const role = user.roles[key];
    if (role) roles.push({ type, key, userId: role.legacy_id ?? user.id });
  }
  return roles;
}

export function roleOfType(user: SeedUser, type: UserType): UserRole | undefined {
  return rolesOf(user).find((r) => r.type === type);
}

export const userTypeLabels: Record<UserType, string> = {
  student: 'Student',
  teacher: 'Teacher',
  school_admin: 'School admin',
  district_admin: 'District admin',
};
