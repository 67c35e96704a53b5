/**
 * Creating and changing an organization: the one rule behind both the
 * management API and the dashboard. Input has passed `createOrganizationInput`
 * / `updateOrganizationInput` already.
 */
import type { HallpassContext } from '../context.ts';
import { newId } from '../ids.ts';
import type { Organization } from '../store/types.ts';
import { entityNotFound } from './entity-not-found.ts';
import { domainsFromInput, type UpdateOrganizationInput } from './organization-input.ts';
import { assertDomainsFree, assertExternalIdFree } from './uniqueness.ts';

/** @throws HallpassError `conflict` when the external ID or a domain belongs to another organization. */
export async function createOrganization(ctx: HallpassContext, input: UpdateOrganizationInput & { name: string }): Promise<Organization> {
  return ctx.store.organizations.create(await newOrganizationFields(ctx, input));
}

/**
 * A new organization's fields, checked against the others (the database has
 * the last word) but not stored: for writers that store it in a transaction
 * of their own (the management API commits it with its Idempotency-Key answer).
 */
export async function newOrganizationFields(ctx: HallpassContext, input: UpdateOrganizationInput & { name: string }): Promise<Omit<Organization, 'createdAt' | 'updatedAt'>> {
  const domains = domainsFromInput(input, []) ?? [];
  const externalId = input.external_id ?? null;
  await assertExternalIdFree(ctx.store, externalId);
  await assertDomainsFree(ctx.store, domains);
  return {
    id: newId('org'),
    name: input.name,
    externalId,
    allowProfilesOutsideOrganization: input.allow_profiles_outside_organization ?? false,
    domains,
    metadata: input.metadata ?? {},
  };
}

/**
 * Applies the fields given; omitted ones keep their value.
 * @throws HallpassError `entity_not_found`, or `conflict` as for create.
 */
export async function updateOrganization(ctx: HallpassContext, id: string, input: UpdateOrganizationInput): Promise<Organization> {
  const { store } = ctx;
  const current = await store.organizations.find(id);
  if (!current) throw entityNotFound('Organization', id);
  const domains = domainsFromInput(input, current.domains);
  if (input.external_id !== undefined) await assertExternalIdFree(store, input.external_id, id);
  if (domains !== undefined) await assertDomainsFree(store, domains, id);
  const updated = await store.organizations.update(id, {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(domains !== undefined ? { domains } : {}),
    ...(input.external_id !== undefined ? { externalId: input.external_id } : {}),
    // Metadata is replaced as a whole; `null` clears it.
    ...(input.metadata !== undefined ? { metadata: input.metadata ?? {} } : {}),
    ...(input.allow_profiles_outside_organization !== undefined
      ? { allowProfilesOutsideOrganization: input.allow_profiles_outside_organization }
      : {}),
  });
  // Deleted by someone else between the read and the write.
  if (!updated) throw entityNotFound('Organization', id);
  return updated;
}
