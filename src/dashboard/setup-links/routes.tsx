/**
 * Setup links in the dashboard: an organization's links (create: the URL is
 * shown once; list with active / expired / revoked and last use; revoke),
 * and "Send a setup link" for a district on the Clever page, which makes
 * an organization for the district and a Clever link in one step.
 * Links are made by the same function as `POST /portal/generate_link`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { createOrganizationInput } from '../../api/organization-input.ts';
import { organizationJson } from '../../api/organization-json.ts';
import { parseInput } from '../../api/parse-input.ts';
import type { AreaOptions } from '../../context.ts';
import { HallpassError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { sendPage } from '../../pages/send-page.ts';
import { createSetupLink, setupLinkStatus } from '../../setup/create-setup-link.ts';
import type { Organization } from '../../store/types.ts';
import { auditChanges, recordAudit } from '../audit.ts';
import { formFields } from '../../pages/form-input.ts';
import { adminActor } from '../actor.ts';
import { findOrganization } from '../lookups.ts';
import { viewerOf } from '../viewer.ts';
import { setupLinkPaths, SetupLinksPage } from './pages.tsx';

interface ById {
  Params: { id: string; linkId?: string };
}

const sendForm = z.object({
  district_id: z.string().regex(/^[0-9a-f]{24}$/),
  app: z.string().min(1).max(512),
  name: z.string(),
});

export default async function setupLinkRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const { store } = ctx;

  async function cleverApps(): Promise<string[]> {
    return (await store.connections.activeCleverApps(100)).flatMap((c) => (c.clientId ? [c.clientId] : []));
  }

  async function show(request: FastifyRequest, reply: FastifyReply, organization: Organization, extras: { created?: string; notice?: string } = {}) {
    const now = new Date(ctx.now());
    const links = (await store.setupLinks.listForOrganization(organization.id)).map((l) => ({ ...l, status: setupLinkStatus(l, now) }));
    return sendPage(reply, 200, <SetupLinksPage viewer={viewerOf(request, reply)} organization={organization} links={links} cleverApps={await cleverApps()} {...extras} />);
  }

  app.get<ById>('/organizations/:id/setup-links', async (request, reply) => {
    const organization = await findOrganization(ctx, request.params.id);
    const revoked = (request.query as Record<string, unknown>).revoked === '1';
    return show(request, reply, organization, revoked ? { notice: 'The setup link was revoked.' } : {});
  });

  app.post<ById>('/organizations/:id/setup-links', async function createLink(request, reply) {
    const organization = await findOrganization(ctx, request.params.id);
    const wanted = formFields(request.body).clever_client_id || null;
    if (wanted && !(await cleverApps()).includes(wanted)) throw new HallpassError('invalid_request', `No active Clever connection uses the Clever app ${wanted}.`);
    const { url } = await createSetupLink(ctx, { organizationId: organization.id, madeThrough: 'dashboard', cleverClientId: wanted, actor: adminActor(request) });
    return show(request, reply, organization, { created: url });
  });

  app.post<ById>('/organizations/:id/setup-links/:linkId/revoke', async function revokeLink(request, reply) {
    const organization = await findOrganization(ctx, request.params.id);
    const id = request.params.linkId ?? '';
    if (!(await store.setupLinks.revoke(organization.id, id, new Date(ctx.now())))) {
      throw new HallpassError('entity_not_found', 'This setup link is unknown or was revoked already.');
    }
    await recordAudit(ctx, { actor: adminActor(request), action: 'setup_link.revoked', targetType: 'setup_link', targetId: id, changes: { revoked: { to: true } } });
    return reply.redirect(`${setupLinkPaths.list(organization.id)}?revoked=1`, 303);
  });

  app.post('/clever/send-setup-link', async function sendDistrictLink(request, reply) {
    const parsed = sendForm.safeParse(formFields(request.body));
    if (!parsed.success) throw new HallpassError('invalid_request', 'This form is incomplete: reload the Clever page and try again.');
    const form = parsed.data;
    if (!(await cleverApps()).includes(form.app)) throw new HallpassError('invalid_request', `No active Clever connection uses the Clever app ${form.app} any more.`);
    const input = parseInput(createOrganizationInput, { name: form.name.trim() || `Clever district ${form.district_id}` }, 'body');
    const org = await store.organizations.create({ id: newId('org'), name: input.name, externalId: null, allowProfilesOutsideOrganization: false, domains: [], metadata: {} });
    await recordAudit(ctx, { actor: adminActor(request), action: 'organization.created', targetType: 'organization', targetId: org.id, changes: auditChanges(null, organizationJson(org)) });
    const { url } = await createSetupLink(ctx, { organizationId: org.id, madeThrough: 'dashboard', cleverClientId: form.app, actor: adminActor(request) });
    return show(request, reply, org, { created: url, notice: `Organization ${org.name} was created for Clever district ${form.district_id}. Send the link below to a district administrator of that district.` });
  });
}
