/**
 * What `POST /organizations` and `PUT /organizations/{id}` accept: WorkOS's
 * fields and limits. Unknown fields (e.g. `stripe_customer_id`) are ignored.
 */
import { z } from 'zod';
import { newId } from '../ids.ts';
import type { OrganizationDomain } from '../store/types.ts';

/** A lower-case DNS name with at least two labels, e.g. `school.example`. */
const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(DOMAIN_NAME, { message: 'must be a domain name such as school.example' });

/** WorkOS's metadata limits: 50 keys, keys up to 40 characters, values up to 600. */
const metadata = z
  .record(z.string().min(1).max(40), z.string().max(600))
  .refine((value) => Object.keys(value).length <= 50, { message: 'holds at most 50 keys' });

const organizationFields = {
  name: z.string().trim().min(1).max(255),
  domain_data: z.array(z.object({ domain, state: z.enum(['verified', 'pending']) })).max(100),
  /** Deprecated by WorkOS in favour of `domain_data`; its domains count as verified. */
  domains: z.array(domain).max(100),
  external_id: z.string().trim().min(1).max(128).nullable(),
  metadata: metadata.nullable(),
  allow_profiles_outside_organization: z.boolean(),
};

/** One list of domains per request, each domain once. */
function checkDomainLists(input: { domain_data?: { domain: string }[] | undefined; domains?: string[] | undefined }, ctx: z.RefinementCtx): void {
  if (input.domain_data !== undefined && input.domains !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['domains'], message: 'give domain_data or the deprecated domains, not both' });
    return;
  }
  const field = input.domain_data !== undefined ? 'domain_data' : 'domains';
  const names = input.domain_data?.map((d) => d.domain) ?? input.domains ?? [];
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `lists ${repeated} twice` });
}

export const createOrganizationInput = z.object(organizationFields).partial().required({ name: true }).superRefine(checkDomainLists);

export const updateOrganizationInput = z.object(organizationFields).partial().superRefine(checkDomainLists);

export type UpdateOrganizationInput = z.output<typeof updateOrganizationInput>;

/**
 * The organization's domain list from a request's `domain_data` or deprecated
 * `domains`, or undefined when it gives neither. A domain the organization
 * already has keeps its ID, so clients holding domain IDs are not surprised.
 */
export function domainsFromInput(input: UpdateOrganizationInput, existing: readonly OrganizationDomain[]): OrganizationDomain[] | undefined {
  const requested = input.domain_data ?? input.domains?.map((name) => ({ domain: name, state: 'verified' as const }));
  return requested?.map(({ domain: name, state }) => ({
    id: existing.find((d) => d.domain === name)?.id ?? newId('org_domain'),
    domain: name,
    state,
  }));
}
