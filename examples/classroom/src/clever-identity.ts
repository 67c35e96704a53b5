/**
 * What Classroom keeps from the profile Hallpass returns for a Clever
 * sign-in. Hallpass normalizes the profile (`idpId`, `email`, `firstName`,
 * `lastName`, `groups`, `organizationId`) and passes Clever's own claims
 * through in `rawAttributes`.
 */
import type { Profile } from '@workos-inc/node';

export type UserType = 'student' | 'teacher' | 'school_admin' | 'district_admin';

export interface CleverIdentity {
  /** Clever's multi-role user ID (the ID token's `sub`): the person, whatever role they sign in as. */
  cleverId: string;
  /** Clever sends no email for some users (often young students). */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** The role the person signed in as; multi-role users pick one at Clever. */
  userType: UserType | null;
  /** Clever's district ID. */
  districtId: string | null;
  /** The Hallpass organization that serves the district. */
  organizationId: string | null;
  /** The user's school when Clever says (Data API profiles carry it; ID tokens do not). */
  school: string | null;
}

export const userTypeLabels: Record<UserType, string> = {
  student: 'Student',
  teacher: 'Teacher',
  school_admin: 'School admin',
  district_admin: 'District admin',
};

/** Clever's Data API role keys and the user type each corresponds to. */
const roleKeys: Record<UserType, string> = { student: 'student', teacher: 'teacher', school_admin: 'staff', district_admin: 'district_admin' };

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const isUserType = (value: unknown): value is UserType => typeof value === 'string' && value in userTypeLabels;

export function cleverIdentityFrom(profile: Profile<Record<string, unknown>>): CleverIdentity {
  const raw: Record<string, unknown> = profile.rawAttributes ?? {};
  const claimed = raw.user_type;
  const groups = (profile.groups ?? []).filter(isUserType);
  const userType = isUserType(claimed) ? claimed : groups.length === 1 ? groups[0]! : null;
  return {
    cleverId: profile.idpId,
    email: text(profile.email),
    firstName: text(profile.firstName),
    lastName: text(profile.lastName),
    userType,
    // Clever's current ID tokens say `district`; older ones `district_id`.
    districtId: text(raw.district) ?? text(raw.district_id),
    organizationId: profile.organizationId ?? null,
    school: text(raw.school) ?? schoolFromRoles(raw.roles, userType),
  };
}

/** Data API profiles carry `roles: { student: { school: "…" }, … }`. */
function schoolFromRoles(roles: unknown, userType: UserType | null): string | null {
  if (!userType || typeof roles !== 'object' || roles === null) return null;
  const role = (roles as Record<string, unknown>)[roleKeys[userType]];
  if (typeof role !== 'object' || role === null) return null;
  const { school, schools } = role as { school?: unknown; schools?: unknown };
  return text(school) ?? (Array.isArray(schools) ? text(schools[0]) : null);
}
