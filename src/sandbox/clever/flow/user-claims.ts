/**
 * The claims Clever puts in ID tokens and `/userinfo` answers for one grant,
 * in either claim shape (settings.ts). In both, `sub` and
 * `multi_role_user_id` name the person and `user_id` / `user_type` the role
 * they signed in as.
 *
 * `current` follows Clever's "OIDC Implementation" page (ID-token claims)
 * and "The /userinfo Endpoint" page (its example answer); `legacy` follows
 * the District SSO overview of seed 001.
 */
import type { SandboxContext } from '../context.ts';
import { roleOfType, type UserRole } from '../directory.ts';
import type { SeedUser, UserType } from '../seed/seed-schema.ts';
import type { ClaimShape } from '../settings.ts';
import type { Grant } from '../state/grants.ts';

/** `user_type` as each shape spells it. */
export const userTypeClaims: Record<ClaimShape, Record<UserType, string>> = {
  current: { student: 'student', teacher: 'teacher', school_admin: 'staff', district_admin: 'district admin' },
  legacy: { student: 'student', teacher: 'teacher', school_admin: 'school_admin', district_admin: 'district_admin' },
};

/** The person-and-role claims both shapes share, in Clever's order. */
function personClaims(ctx: SandboxContext, user: SeedUser, role: UserRole) {
  return {
    sub: user.id,
    user_id: role.userId,
    multi_role_user_id: user.id,
    user_type: userTypeClaims[ctx.claims][role.type],
  };
}

function nameClaims(user: SeedUser) {
  return {
    ...(user.email ? { email: user.email } : {}),
    // Clever does not verify email addresses.
    email_verified: false,
    given_name: user.name.first,
    family_name: user.name.last,
  };
}

function grantParts(ctx: SandboxContext, grant: Grant): { user: SeedUser; role: UserRole } {
  const user = ctx.directory.user(grant.userId)!;
  return { user, role: roleOfType(user, grant.userType)! };
}

/** The school IDs of the role signed in with; district admins have none. */
function roleSchools(user: SeedUser, role: UserRole): string[] {
  switch (role.key) {
    case 'student':
    case 'teacher': {
      const r = user.roles[role.key]!;
      return r.schools ?? [r.school];
    }
    case 'staff':
      return user.roles.staff!.schools;
    case 'district_admin':
      return [];
  }
}

/** Applies a test's rewrite, leaving out claims it set to `undefined`. */
function rewritten(claims: Record<string, unknown>, rewrite: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined) {
  if (!rewrite) return claims;
  return Object.fromEntries(Object.entries(rewrite({ ...claims })).filter(([, value]) => value !== undefined));
}

/** The user claims of an ID token (the token route adds `iss`, `aud`, `iat`, `exp` and `nonce`). */
export function idTokenClaims(ctx: SandboxContext, grant: Grant): Record<string, unknown> {
  const { user, role } = grantParts(ctx, grant);
  const district = ctx.claims === 'current' ? { district: grant.districtId } : { district_id: grant.districtId };
  return rewritten({ ...personClaims(ctx, user, role), ...district, ...nameClaims(user) }, ctx.rewriteClaims.idToken);
}

/**
 * The `/userinfo` answer. Both shapes carry Clever's non-standard `name`
 * object (`{first, middle, last}`) where OpenID has a string; the current
 * shape writes an absent middle name as `""`, as Clever's example does.
 */
export function userinfoClaims(ctx: SandboxContext, grant: Grant): Record<string, unknown> {
  return rewritten(shapedUserinfo(ctx, grant), ctx.rewriteClaims.userinfo);
}

function shapedUserinfo(ctx: SandboxContext, grant: Grant): Record<string, unknown> {
  const { user, role } = grantParts(ctx, grant);
  const { first, middle, last } = user.name;
  if (ctx.claims === 'legacy') {
    return {
      ...personClaims(ctx, user, role),
      district_id: grant.districtId,
      ...nameClaims(user),
      name: { first, ...(middle ? { middle } : {}), last },
    };
  }
  const { email, ...rest } = nameClaims(user);
  return {
    ...personClaims(ctx, user, role),
    district_id: grant.districtId,
    district: grant.districtId,
    ...(email ? { email } : {}),
    name: { first, last, middle: middle ?? '' },
    schools: roleSchools(user, role),
    ...rest,
    authorized_by: 'district',
  };
}

/** The discovery document's `claims_supported` for a shape: every claim an ID token or `/userinfo` may carry. */
export function claimsSupported(shape: ClaimShape): string[] {
  const metadata = ['iss', 'sub', 'aud', 'iat', 'exp', 'nonce'];
  const person = ['user_id', 'user_type', 'multi_role_user_id', 'email', 'email_verified', 'given_name', 'family_name', 'name'];
  return shape === 'current'
    ? [...metadata, ...person, 'district', 'district_id', 'schools', 'authorized_by']
    : [...metadata, ...person, 'district_id'];
}
