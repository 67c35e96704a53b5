/**
 * `/organizations`: WorkOS's organization endpoints, as `@workos-inc/node`
 * calls them (`workos.organizations.*`).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AreaOptions } from '../context.ts';
import { newId } from '../ids.ts';
import type { Organization } from '../store/types.ts';
import { auditApiChanges } from './audit-api-changes.ts';
import { entityNotFound } from './entity-not-found.ts';
import { sendIdempotently } from './idempotency.ts';
import { createOrganizationInput, domainsFromInput, updateOrganizationInput } from './organization-input.ts';
import { organizationJson } from './organization-json.ts';
import { assertDomainsFree, assertExternalIdFree } from './uniqueness.ts';
import { listJson, listOptions, listQuerySchema } from './pagination.ts';
import { parseInput } from './parse-input.ts';

const listOrganizationsQuery = listQuerySchema({
  // The SDK sends `domains=a.example,b.example` (URLSearchParams joins arrays); other clients repeat the parameter.
  domains: z.preprocess(
    (value) => (value === undefined ? [] : [value].flat().flatMap((item) => (typeof item === 'string' ? item.split(',') : [item]))),
    z.array(z.string().trim().toLowerCase().min(1).max(253)).max(100),
  ),
});

interface ById {
  Params: { id: string };
}

export default async function organizationRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const { store } = ctx;

  auditApiChanges(app, ctx, {
    targetType: 'organization',
    snapshot: async (id) => {
      const org = await store.organizations.find(id);
      return org ? organizationJson(org) : null;
    },
  });

  async function findOrganization(id: string): Promise<Organization> {
    const org = await store.organizations.find(id);
    if (!org) throw entityNotFound('Organization', id);
    return org;
  }

  app.get('/organizations', async function listOrganizations(request) {
    const query = parseInput(listOrganizationsQuery, request.query, 'query');
    const page = await store.organizations.list({
      ...listOptions(query),
      ...(query.domains.length > 0 ? { domains: query.domains } : {}),
    });
    return listJson(page, organizationJson);
  });

  app.post('/organizations', async function createOrganization(request, reply) {
    const input = parseInput(createOrganizationInput, request.body, 'body');
    return sendIdempotently(ctx, request, reply, 'POST /organizations', async () => {
      const domains = domainsFromInput(input, []) ?? [];
      const externalId = input.external_id ?? null;
      await assertExternalIdFree(store, externalId);
      await assertDomainsFree(store, domains);
      const org = await store.organizations.create({
        id: newId('org'),
        name: input.name,
        externalId,
        allowProfilesOutsideOrganization: input.allow_profiles_outside_organization ?? false,
        domains,
        metadata: input.metadata ?? {},
      });
      return { status: 201, body: organizationJson(org) };
    });
  });

  app.get<{ Params: { externalId: string } }>('/organizations/external_id/:externalId', async function getOrganizationByExternalId(request) {
    const { externalId } = request.params;
    const org = await store.organizations.findByExternalId(externalId);
    if (!org) throw entityNotFound('Organization', externalId);
    return organizationJson(org);
  });

  app.get<ById>('/organizations/:id', async function getOrganization(request) {
    return organizationJson(await findOrganization(request.params.id));
  });

  app.put<ById>('/organizations/:id', async function updateOrganization(request) {
    const { id } = request.params;
    const input = parseInput(updateOrganizationInput, request.body, 'body');
    const current = await findOrganization(id);
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
    return organizationJson(updated);
  });

  app.delete<ById>('/organizations/:id', async function deleteOrganization(request, reply) {
    // The store removes the organization's domains and connections with it.
    if (!(await store.organizations.destroy(request.params.id))) throw entityNotFound('Organization', request.params.id);
    return reply.status(204).send();
  });
}
