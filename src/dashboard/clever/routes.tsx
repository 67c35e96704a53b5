/** Clever: which district each Clever app serves through which organization; districts signing in unserved, and serving them. */
import { assertDistrictFree } from '../../api/uniqueness.ts';
import { firstCleverApp } from '../../connections/redirect-uri.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { connectionJson } from '../../api/connection-json.ts';
import { updateConnectionInput } from '../../api/connection-input.ts';
import { organizationJson } from '../../api/organization-json.ts';
import { createOrganizationInput } from '../../api/organization-input.ts';
import { parseInput } from '../../api/parse-input.ts';
import { auditChanges, recordAudit } from '../../audit/record-audit.ts';
import type { AreaOptions } from '../../context.ts';
import { HallpassError, toHallpassError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { sendPage } from '../../pages/send-page.ts';
import { adminActor } from '../actor.ts';
import { formFields } from '../../pages/form-input.ts';
import { paths } from '../paths.ts';
import { viewerOf } from '../viewer.ts';
import { CleverPage, type CleverFormState } from './pages.tsx';
import { serveDistrict } from '../../api/serve-district.ts';

const UNSERVED_SHOWN = 50;
const serveForm = z.object({ district_id: z.string().min(1).max(64), action: z.enum(['add', 'create']), app: z.string().min(1).max(256) });

export default async function cleverRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const { store } = ctx;

  async function show(request: FastifyRequest, reply: FastifyReply, status: number, extra: { refused?: CleverFormState; notice?: string } = {}) {
    const [apps, unserved, organizations] = await Promise.all([
      store.cleverDistricts.served(),
      store.cleverDistricts.unserved(UNSERVED_SHOWN),
      store.organizations.list({ limit: 100, order: 'desc' }),
    ]);
    const choices = organizations.data.map((o) => ({ id: o.id, name: o.name })).sort((a, b) => a.name.localeCompare(b.name));
    return sendPage(reply, status, <CleverPage viewer={viewerOf(request, reply)} apps={apps} unserved={unserved} organizations={choices} {...extra} />);
  }

  app.get<{ Querystring: { served?: string } }>('/clever', async (request, reply) => {
    const served = typeof request.query.served === 'string' && /^[0-9a-f]{24}$/.test(request.query.served) ? request.query.served : undefined;
    return show(request, reply, 200, served ? { notice: `District ${served} is now served.` } : {});
  });

  app.post('/clever/serve-district', async function serveDistrictFromPage(request, reply) {
    const parsed = serveForm.safeParse(formFields(request.body));
    if (!parsed.success) throw new HallpassError('invalid_request', 'This form is incomplete: reload the Clever page and try again.');
    const form = parsed.data;
    const fields = formFields(request.body);
    const refuse = (status: number, error: string) =>
      show(request, reply, status, {
        refused: { districtId: form.district_id, action: form.action, organizationName: fields.name, organizationId: fields.organization_id, error },
      });
    try {
      // The same rule as the API's district_id.
      parseInput(updateConnectionInput, { district_id: form.district_id }, 'body');
      if (!(await store.connections.activeCleverApps(100)).some((c) => c.clientId === form.app)) {
        return refuse(422, `No active Clever connection uses the Clever app ${form.app} any more.`);
      }
      // Refused before anything is written: a new organization must not be left behind by a taken district.
      await assertDistrictFree(store, { connectionType: 'CleverOIDC', clientId: form.app, districtId: form.district_id.toLowerCase(), state: 'active' });
      let organizationId = fields.organization_id ?? '';
      if (form.action === 'create') {
        const input = parseInput(createOrganizationInput, { name: fields.name ?? '' }, 'body');
        const org = await store.organizations.create({ id: newId('org'), name: input.name, externalId: null, allowProfilesOutsideOrganization: false, domains: [], metadata: {} });
        await recordAudit(ctx, { actor: adminActor(request), action: 'organization.created', targetType: 'organization', targetId: org.id, changes: auditChanges(null, organizationJson(org)) });
        organizationId = org.id;
      }
      const conn = await serveDistrict(ctx, { organizationId, districtId: form.district_id, appClientId: form.app });
      await recordAudit(ctx, {
        actor: adminActor(request),
        action: 'connection.created',
        targetType: 'connection',
        targetId: conn.id,
        changes: auditChanges(null, connectionJson(conn, ctx.config.publicUrl, await firstCleverApp(store)), { client_secret: conn.clientSecretEncrypted ? 'set' : undefined }),
      });
      // Its page says why it is still a draft (e.g. the app's discovery endpoint did not answer).
      if (conn.state !== 'active') return reply.redirect(paths.connection(conn.id), 303);
      return reply.redirect(`${paths.clever}?served=${encodeURIComponent(form.district_id)}`, 303);
    } catch (err) {
      const error = toHallpassError(err);
      if (error.status >= 500) throw err;
      const message = error.code === 'invalid_request_parameters'
        ? ((error.fields?.errors as Array<{ message: string }> | undefined)?.map((e) => e.message).join('; ') ?? error.message)
        : error.message;
      return refuse(error.status, message);
    }
  });
}
