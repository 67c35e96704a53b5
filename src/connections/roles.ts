import type { RoleMapping } from '../store/types.ts';

export interface AssignedRoles {
  role: { slug: string };
  roles: { slug: string }[];
}

/**
 * IdP role assignment: mappings are in priority order, so `role` is the first
 * mapping whose group the user is in and `roles` every matching role, each
 * once. A user in no mapped group gets the application's default role.
 */
export function assignRoles(groups: readonly string[], mappings: readonly RoleMapping[], defaultRole: string): AssignedRoles {
  const member = new Set(groups);
  const slugs: string[] = [];
  for (const mapping of mappings) {
    if (member.has(mapping.group) && !slugs.includes(mapping.role)) slugs.push(mapping.role);
  }
  if (slugs.length === 0) slugs.push(defaultRole);
  return { role: { slug: slugs[0]! }, roles: slugs.map((slug) => ({ slug })) };
}
