/**
 * Organizations: list with search and pagination, create, show, edit, delete,
 * and "Configure manually" (a new SSO connection). Reads and writes go through
 * the management API's validation and save functions: one rule, two faces.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createConnectionInput } from '../../api/connection-input.ts';
import { createOrganizationInput, updateOrganizationInput } from '../../api/organization-input.ts';
import { parseInput } from '../../api/parse-input.ts';
import { createConnection } from '../../api/save-connection.ts';
import { createOrganization, updateOrganization } from '../../api/save-organization.ts';
import type { AreaOptions } from '../../context.ts';
import { HallpassError } from '../../errors.ts';
import { sendPage } from '../../pages/send-page.ts';
import type { Organization } from '../../store/types.ts';
import { adminActor, changedFields } from '../actor.ts';
import { recordAudit } from '../audit.ts';
import { conflictField, fieldErrors, formFields } from '../../pages/form-input.ts';
import { findOrganization } from '../lookups.ts';
import { noticeFrom, withNotice } from '../notices.ts';
import { paths } from '../paths.ts';
import { viewerOf } from '../viewer.ts';
import {
  DeleteOrganizationPage,
  NewConnectionPage,
  OrganizationFormPage,
  type OrganizationFormValues,
  OrganizationListPage,
  OrganizationPage,
} from './pages.tsx';

const PAGE_SIZE = 20;
/** Enough connections to show every one an organization has in practice. */
const CONNECTIONS_SHOWN = 100;
const RECENT_SIGN_INS = 10;

interface ById {
  Params: { id: string };
}

export default async function organizationRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const { store } = ctx;

  app.get<{ Querystring: Record<string, unknown> }>('/organizations', async function listOrganizations(request, reply) {
    const text = (name: string) => (typeof request.query[name] === 'string' ? (request.query[name] as string).trim().slice(0, 200) : '');
    const search = text('search');
    const after = text('after') || undefined;
    const before = text('before') || undefined;
    const page = await store.organizations.list({
      limit: PAGE_SIZE,
      order: 'desc',
      ...(after ? { after } : before ? { before } : {}),
      ...(search ? { search } : {}),
    });
    return sendPage(reply, 200, (
      <OrganizationListPage
        viewer={viewerOf(request, reply)}
        organizations={page.data}
        search={search}
        previous={page.before ? paths.organizations({ search, before: page.before }) : undefined}
        next={page.after ? paths.organizations({ search, after: page.after }) : undefined}
        notice={noticeFrom(request.query)}
      />
    ));
  });

  const showForm = (request: FastifyRequest, reply: FastifyReply, status: number, values: OrganizationFormValues, errors: Record<string, string>, organization?: Organization) =>
    sendPage(reply, status, <OrganizationFormPage viewer={viewerOf(request, reply)} values={values} errors={errors} organization={organization} />);

  app.get('/organizations/new', async (request, reply) =>
    showForm(request, reply, 200, { name: '', domains: '', external_id: '', allow_profiles_outside_organization: false }, {}),
  );

  app.post('/organizations/new', async function createOrganizationPage(request, reply) {
    const values = formValues(request.body);
    let org: Organization;
    try {
      const input = parseInput(createOrganizationInput, {
        name: values.name,
        domains: splitDomains(values.domains),
        ...(values.external_id.trim() ? { external_id: values.external_id } : {}),
        allow_profiles_outside_organization: values.allow_profiles_outside_organization,
      }, 'body');
      org = await createOrganization(ctx, input);
    } catch (err) {
      const conflict = conflictField(err);
      return showForm(request, reply, conflict ? 409 : 422, values, conflict ? { [conflict.field]: conflict.message } : organizationErrors(err, values));
    }
    await recordAudit(ctx, {
      actor: adminActor(request),
      action: 'organization.created',
      targetType: 'organization',
      targetId: org.id,
      changes: {
        name: { to: org.name },
        domains: { to: org.domains.map((d) => d.domain) },
        external_id: { to: org.externalId },
        allow_profiles_outside_organization: { to: org.allowProfilesOutsideOrganization },
      },
    });
    return reply.redirect(withNotice(paths.organization(org.id), 'organization-created'), 303);
  });

  app.get<ById>('/organizations/:id', async function showOrganization(request, reply) {
    const org = await findOrganization(ctx, request.params.id);
    const [connections, signIns] = await Promise.all([
      store.connections.list({ organizationId: org.id, limit: CONNECTIONS_SHOWN, order: 'asc' }),
      store.loginAttempts.list({ organizationId: org.id, limit: RECENT_SIGN_INS, order: 'desc' }),
    ]);
    return sendPage(reply, 200, (
      <OrganizationPage
        viewer={viewerOf(request, reply)}
        organization={org}
        connections={connections.data}
        signIns={signIns.data}
        connectionNames={new Map(connections.data.map((c) => [c.id, c.name]))}
        notice={noticeFrom(request.query)}
      />
    ));
  });

  app.get<ById>('/organizations/:id/edit', async (request, reply) => {
    const org = await findOrganization(ctx, request.params.id);
    return showForm(request, reply, 200, {
      name: org.name,
      domains: org.domains.map((d) => d.domain).join(', '),
      external_id: org.externalId ?? '',
      allow_profiles_outside_organization: org.allowProfilesOutsideOrganization,
    }, {}, org);
  });

  app.post<ById>('/organizations/:id/edit', async function editOrganization(request, reply) {
    const org = await findOrganization(ctx, request.params.id);
    const values = formValues(request.body);
    let updated: Organization;
    try {
      const input = parseInput(updateOrganizationInput, {
        name: values.name,
        // Domains already there keep their verification state; new ones are verified, as the API's `domains` makes them.
        domain_data: splitDomains(values.domains).map((domain) => ({ domain, state: org.domains.find((d) => d.domain === domain.toLowerCase())?.state ?? 'verified' })),
        external_id: values.external_id.trim() ? values.external_id : null,
        allow_profiles_outside_organization: values.allow_profiles_outside_organization,
      }, 'body');
      updated = await updateOrganization(ctx, org.id, input);
    } catch (err) {
      const conflict = conflictField(err);
      return showForm(request, reply, conflict ? 409 : 422, values, conflict ? { [conflict.field]: conflict.message } : organizationErrors(err, values), org);
    }
    const changes = changedFields(
      { name: org.name, domains: org.domains.map((d) => d.domain), external_id: org.externalId, allow_profiles_outside_organization: org.allowProfilesOutsideOrganization },
      { name: updated.name, domains: updated.domains.map((d) => d.domain), external_id: updated.externalId, allow_profiles_outside_organization: updated.allowProfilesOutsideOrganization },
    );
    await recordAudit(ctx, { actor: adminActor(request), action: 'organization.updated', targetType: 'organization', targetId: org.id, changes });
    return reply.redirect(withNotice(paths.organization(org.id), 'organization-updated'), 303);
  });

  app.get<ById>('/organizations/:id/delete', async (request, reply) => {
    const org = await findOrganization(ctx, request.params.id);
    const connections = await store.connections.list({ organizationId: org.id, limit: CONNECTIONS_SHOWN, order: 'asc' });
    return sendPage(reply, 200, <DeleteOrganizationPage viewer={viewerOf(request, reply)} organization={org} connections={connections.data} />);
  });

  app.post<ById>('/organizations/:id/delete', async function deleteOrganization(request, reply) {
    const org = await findOrganization(ctx, request.params.id);
    // The store removes the organization's domains and connections with it.
    if (!(await store.organizations.destroy(org.id))) throw new HallpassError('entity_not_found', 'This organization was already deleted.');
    await recordAudit(ctx, { actor: adminActor(request), action: 'organization.deleted', targetType: 'organization', targetId: org.id, changes: { name: { from: org.name } } });
    return reply.redirect(withNotice(paths.organizations(), 'organization-deleted'), 303);
  });

  app.get<ById>('/organizations/:id/connections/new', async (request, reply) => {
    const org = await findOrganization(ctx, request.params.id);
    return sendPage(reply, 200, <NewConnectionPage viewer={viewerOf(request, reply)} organization={org} />);
  });

  app.post<ById>('/organizations/:id/connections/new', async function configureManually(request, reply) {
    const org = await findOrganization(ctx, request.params.id);
    const fields = formFields(request.body);
    let connectionId: string;
    try {
      const input = parseInput(createConnectionInput, { organization_id: org.id, connection_type: fields.connection_type }, 'body');
      const conn = await createConnection(ctx, input);
      connectionId = conn.id;
      await recordAudit(ctx, {
        actor: adminActor(request),
        action: 'connection.created',
        targetType: 'connection',
        targetId: conn.id,
        changes: { organization_id: { to: org.id }, connection_type: { to: conn.connectionType }, name: { to: conn.name } },
      });
    } catch (err) {
      const errors = fieldErrors(err);
      return sendPage(reply, 422, <NewConnectionPage viewer={viewerOf(request, reply)} organization={org} error={errors.connection_type ? 'Choose Clever OIDC or OpenID Connect.' : Object.values(errors)[0]} />);
    }
    return reply.redirect(withNotice(paths.connection(connectionId), 'connection-created'), 303);
  });
}

function formValues(body: unknown): OrganizationFormValues {
  const fields = formFields(body);
  return {
    name: fields.name ?? '',
    domains: fields.domains ?? '',
    external_id: fields.external_id ?? '',
    allow_profiles_outside_organization: fields.allow_profiles_outside_organization === 'true',
  };
}

/** "a.example, b.example c.example" → the list the API takes. */
function splitDomains(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** Field errors for the organization form; a bad domain is named, since the form holds several in one field. */
function organizationErrors(err: unknown, values: OrganizationFormValues): Record<string, string> {
  const errors = fieldErrors(err, formField);
  const bad = err instanceof HallpassError ? ((err.fields?.errors as Array<{ field: string }> | undefined) ?? []) : [];
  const index = bad.map((e) => /^domain(?:s|_data)\[(\d+)\]/.exec(e.field)?.[1]).find((i) => i !== undefined);
  const domain = index === undefined ? undefined : splitDomains(values.domains)[Number(index)];
  if (domain !== undefined) errors.domains = `“${domain}” is not a domain name such as school.example.`;
  return errors;
}

/** The API's field names (`domains[1]`, `domain_data[0].domain`) → the form's. */
function formField(apiField: string): string {
  if (apiField.startsWith('domain')) return 'domains';
  if (apiField === 'body') return 'form';
  return apiField;
}
