import type { SandboxContext } from '../context.ts';
import { SandboxError } from '../sandbox-error.ts';
import type { SeedDistrict } from '../seed/seed-schema.ts';
import type { LoginRequest } from '../state/login-requests.ts';
import { findDistrict } from './find-district.ts';

/** The district a login page is for; it must be the one the login request asked for, if it asked. */
export function districtForLogin(ctx: SandboxContext, loginRequest: LoginRequest, districtId: string): SeedDistrict {
  const district = findDistrict(ctx, districtId);
  if (loginRequest.districtId && loginRequest.districtId !== district.id) {
    throw new SandboxError(400, 'invalid_request', 'This sign-in is for a different district. Go back and start again.');
  }
  return district;
}
