import { HallpassError } from '../errors.ts';
import type { DomainPolicy } from '../store/types.ts';

/**
 * WorkOS's `allow_profiles_outside_organization`: unless an organization
 * allows it, a profile's email must be on one of the organization's domains,
 * so one tenant's IdP cannot vouch for an address on another tenant's domain
 * (apps often link accounts by email). An organization with no domains yet,
 * and a profile with no email (many Clever students), are not restricted.
 */
export function checkProfileDomain(policy: DomainPolicy, email: string | null): void {
  if (policy.allowProfilesOutsideOrganization || policy.domains.length === 0 || email === null) return;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!policy.domains.includes(domain)) {
    throw new HallpassError(
      'access_denied',
      `The email domain ${domain} is not one of the organization's domains, and the organization does not allow profiles from outside them.`,
    );
  }
}
