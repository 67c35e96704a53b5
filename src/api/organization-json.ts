import type { Organization } from '../store/types.ts';

/**
 * An organization in WorkOS's JSON shape, as `@workos-inc/node` deserializes
 * it. Domains are always an array of `organization_domain` objects; Hallpass
 * keeps no timestamps per domain, so they carry the organization's. Their
 * `verification_strategy` is `manual`: an admin declared them through the API.
 */
export function organizationJson(org: Organization) {
  const createdAt = org.createdAt.toISOString();
  const updatedAt = org.updatedAt.toISOString();
  return {
    object: 'organization' as const,
    id: org.id,
    name: org.name,
    allow_profiles_outside_organization: org.allowProfilesOutsideOrganization,
    domains: org.domains.map((domain) => ({
      object: 'organization_domain' as const,
      id: domain.id,
      organization_id: org.id,
      domain: domain.domain,
      state: domain.state,
      verification_strategy: 'manual' as const,
      created_at: createdAt,
      updated_at: updatedAt,
    })),
    external_id: org.externalId,
    metadata: org.metadata,
    created_at: createdAt,
    updated_at: updatedAt,
  };
}
