/**
 * `/organizations`: WorkOS's organization endpoints, as `@workos-inc/node`
 * calls them (`workos.organizations.*`).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AreaOptions } from '../context.ts';
import type { Organization } from '../store/types.ts';
import { auditApiChanges } from './audit-api-changes.ts';
import { entityNotFound } from './entity-not-found.ts';
import { sendIdempotently } from './idempotency.ts';
import { createOrganizationInput, updateOrganizationInput } from './organization-input.ts';
import { organizationJson } from './organization-json.ts';
import { listJson, listOptions, listQuerySchema } from './pagination.ts';
import { parseInput } from './parse-input.ts';
import { newOrganizationFields, updateOrganization } from './save-organization.ts';

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

  app.post('/organizations', async function createOrganizationRoute(request, reply) {
    const input = parseInput(createOrganizationInput, request.body, 'body');
    return sendIdempotently(ctx, request, reply, 'POST /organizations', async (commit) => {
      const fields = await newOrganizationFields(ctx, input);
      return commit(async (writes) => ({ status: 201, body: organizationJson(await writes.organizations.create(fields)) }));
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

  app.put<ById>('/organizations/:id', async function updateOrganizationRoute(request) {
    const input = parseInput(updateOrganizationInput, request.body, 'body');
    return organizationJson(await updateOrganization(ctx, request.params.id, input));
  });

  app.delete<ById>('/organizations/:id', async function deleteOrganization(request, reply) {
    // The store removes the organization's domains and connections with it.
    if (!(await store.organizations.destroy(request.params.id))) throw entityNotFound('Organization', request.params.id);
    return reply.status(204).send();
  });
}
