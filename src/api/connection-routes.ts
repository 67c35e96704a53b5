/**
 * `/connections`: WorkOS's list, get and delete (`workos.sso.*`), and
 * Hallpass's own create and update, where an admin enters the IdP settings.
 */
import { firstCleverApp } from '../connections/redirect-uri.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { connectionTypes } from '../connections/settings.ts';
import type { SecretChange } from '../audit/record-audit.ts';
import type { AreaOptions } from '../context.ts';
import type { Connection, ConnectionType, Page } from '../store/types.ts';
import { createConnectionInput, updateConnectionInput } from './connection-input.ts';
import { connectionJson } from './connection-json.ts';
import { auditApiChanges } from './audit-api-changes.ts';
import { entityNotFound } from './entity-not-found.ts';
import { sendIdempotently } from './idempotency.ts';
import { listJson, listOptions, listQuerySchema } from './pagination.ts';
import { parseInput } from './parse-input.ts';
import { newConnectionFields, updateConnection } from './save-connection.ts';

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
  /** Renders connections as JSON; a Clever connection's Redirect URI depends on the application's settings. */
  async function jsonRenderer(): Promise<(conn: Connection) => ReturnType<typeof connectionJson>> {
    const firstCleverClientId = await firstCleverApp(store);
    return (conn) => connectionJson(conn, ctx.config.publicUrl, firstCleverClientId);
  }

  auditApiChanges(app, ctx, {
    targetType: 'connection',
    snapshot: async (id) => {
      const conn = await store.connections.find(id);
      return conn ? (await jsonRenderer())(conn) : null;
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
    const toJson = await jsonRenderer();
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

  app.post('/connections', async function createConnectionRoute(request, reply) {
    const input = parseInput(createConnectionInput, request.body, 'body');
    const toJson = await jsonRenderer();
    return sendIdempotently(ctx, request, reply, 'POST /connections', async (commit) => {
      // The discovery check runs before the transaction; the write and the recorded answer commit together.
      const fields = await newConnectionFields(ctx, input);
      return commit(async (writes) => ({ status: 201, body: toJson(await writes.connections.create(fields)) }));
    });
  });

  app.get<ById>('/connections/:id', async function getConnection(request) {
    return (await jsonRenderer())(await findConnection(request.params.id));
  });

  app.put<ById>('/connections/:id', async function updateConnectionRoute(request) {
    const input = parseInput(updateConnectionInput, request.body, 'body');
    return (await jsonRenderer())(await updateConnection(ctx, request.params.id, input));
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
