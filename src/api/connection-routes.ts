/**
 * `/connections`: WorkOS's list, get and delete (`workos.sso.*`), and
 * Hallpass's own create and update, where an admin enters the IdP settings.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { connectionTypes } from '../connections/settings.ts';
import type { SecretChange } from '../audit/record-audit.ts';
import type { AreaOptions } from '../context.ts';
import { newId } from '../ids.ts';
import type { Connection, ConnectionType, Page } from '../store/types.ts';
import { applySettingsInput, blankSettings, createConnectionInput, idpSettingsChanged, updateConnectionInput } from './connection-input.ts';
import { connectionJson } from './connection-json.ts';
import { auditApiChanges } from './audit-api-changes.ts';
import { entityNotFound } from './entity-not-found.ts';
import { assertDistrictFree } from './uniqueness.ts';
import { sendIdempotently } from './idempotency.ts';
import { listJson, listOptions, listQuerySchema } from './pagination.ts';
import { invalidParameters, parseInput } from './parse-input.ts';
import { settleConnectionState } from './settle-connection-state.ts';

const listConnectionsQuery = listQuerySchema({
  organization_id: z.string().min(1).max(200).optional(),
  // Any WorkOS connection type is a valid filter; the ones Hallpass lacks simply match nothing.
  connection_type: z.string().min(1).max(100).optional(),
  domain: z.string().trim().toLowerCase().min(1).max(253).optional(),
});

interface ById {
  Params: { id: string };
}

const EMPTY_PAGE: Page<Connection> = { data: [], before: null, after: null };

export default async function connectionRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const { store } = ctx;
  const toJson = (conn: Connection) => connectionJson(conn, ctx.config.publicUrl);

  auditApiChanges(app, ctx, {
    targetType: 'connection',
    snapshot: async (id) => {
      const conn = await store.connections.find(id);
      return conn ? toJson(conn) : null;
    },
    secrets: (body, before) => ({ client_secret: secretChange(body.client_secret, before?.client_secret_set === true) }),
  });

  async function findConnection(id: string): Promise<Connection> {
    const conn = await store.connections.find(id);
    if (!conn) throw entityNotFound('Connection', id);
    return conn;
  }

  app.get('/connections', async function listConnections(request) {
    const query = parseInput(listConnectionsQuery, request.query, 'query');
    const options = listOptions(query);
    const connectionType = query.connection_type as ConnectionType | undefined;
    if (connectionType !== undefined && !connectionTypes.includes(connectionType)) return listJson(EMPTY_PAGE, toJson);
    const page = await store.connections.list({
      ...options,
      ...(query.organization_id !== undefined ? { organizationId: query.organization_id } : {}),
      ...(connectionType !== undefined ? { connectionType } : {}),
      // Connections carry no domains of their own here: this selects the connections of the organization holding it.
      ...(query.domain !== undefined ? { domain: query.domain } : {}),
    });
    return listJson(page, toJson);
  });

  app.post('/connections', async function createConnection(request, reply) {
    const input = parseInput(createConnectionInput, request.body, 'body');
    return sendIdempotently(ctx, request, reply, 'POST /connections', async () => {
      const org = await store.organizations.find(input.organization_id);
      if (!org) throw entityNotFound('Organization', input.organization_id);
      // WorkOS names a new connection after its organization.
      const settings = applySettingsInput(blankSettings(org.id, input.connection_type, org.name), input, ctx.secrets);
      const settled = await settleConnectionState(settings, {
        previous: undefined,
        disabled: false,
        settingsChanged: true,
        timeoutMs: ctx.config.upstreamTimeoutMs,
        requireHttps: ctx.config.env === 'production',
      });
      await assertDistrictFree(store, { ...settings, ...settled });
      const conn = await store.connections.create({ id: newId('conn'), ...settings, ...settled });
      return { status: 201, body: toJson(conn) };
    });
  });

  app.get<ById>('/connections/:id', async function getConnection(request) {
    return toJson(await findConnection(request.params.id));
  });

  app.put<ById>('/connections/:id', async function updateConnection(request) {
    const input = parseInput(updateConnectionInput, request.body, 'body');
    const current = await findConnection(request.params.id);
    if (input.organization_id !== undefined && input.organization_id !== current.organizationId) {
      throw invalidParameters([{ field: 'organization_id', code: 'organization_id_immutable', message: 'a connection cannot move to another organization' }]);
    }
    if (input.connection_type !== undefined && input.connection_type !== current.connectionType) {
      throw invalidParameters([{ field: 'connection_type', code: 'connection_type_immutable', message: 'a connection cannot change its type; create a new one' }]);
    }
    const settings = applySettingsInput(current, input, ctx.secrets);
    const settled = await settleConnectionState(settings, {
      previous: current,
      disabled: input.state === undefined ? current.state === 'inactive' : input.state === 'inactive',
      settingsChanged: idpSettingsChanged(current, settings),
      timeoutMs: ctx.config.upstreamTimeoutMs,
      requireHttps: ctx.config.env === 'production',
    });
    await assertDistrictFree(store, { ...settings, ...settled }, current.id);
    const updated = await store.connections.update(current.id, {
      name: settings.name,
      clientId: settings.clientId,
      clientSecretEncrypted: settings.clientSecretEncrypted,
      discoveryEndpoint: settings.discoveryEndpoint,
      districtId: settings.districtId,
      roleMappings: settings.roleMappings,
      ...settled,
    });
    // Deleted by someone else while the discovery endpoint was being checked.
    if (!updated) throw entityNotFound('Connection', current.id);
    return toJson(updated);
  });

  app.delete<ById>('/connections/:id', async function deleteConnection(request, reply) {
    if (!(await store.connections.destroy(request.params.id))) throw entityNotFound('Connection', request.params.id);
    return reply.status(204).send();
  });
}

/** How a request body's `client_secret` changes the stored one, for the audit log. */
function secretChange(value: unknown, wasSet: boolean): SecretChange | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return wasSet ? 'removed' : undefined;
  return wasSet ? 'changed' : 'set';
}
