import type { SandboxContext } from '../context.ts';
import { SandboxError } from '../sandbox-error.ts';
import type { SeedDistrict } from '../seed/seed-schema.ts';

export function findDistrict(ctx: SandboxContext, districtId: string): SeedDistrict {
  const district = ctx.directory.district(districtId);
  if (!district) throw new SandboxError(404, 'not_found', `There is no district with ID ${districtId}.`);
  return district;
}
