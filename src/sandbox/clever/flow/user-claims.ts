/**
 * The claims Clever puts in ID tokens and userinfo answers for one grant:
 * `sub`/`multi_role_user_id` name the person, `user_id`/`user_type` the role
 * they signed in as.
 */
import type { SandboxContext } from '../context.ts';
import { roleOfType } from '../directory.ts';
import type { Grant } from '../state/grants.ts';

export interface UserClaims {
  sub: string;
  user_id: string;
  user_type: string;
  district_id: string;
  multi_role_user_id: string;
  email?: string;
  email_verified: false;
  given_name: string;
  family_name: string;
}

export function userClaims(ctx: SandboxContext, grant: Grant): UserClaims {
  const user = ctx.directory.user(grant.userId)!;
  const role = roleOfType(user, grant.userType)!;
  return {
    sub: user.id,
    user_id: role.userId,
    user_type: role.type,
    district_id: grant.districtId,
    multi_role_user_id: user.id,
    ...(user.email ? { email: user.email } : {}),
    // Clever does not verify email addresses.
    email_verified: false,
    given_name: user.name.first,
    family_name: user.name.last,
  };
}
