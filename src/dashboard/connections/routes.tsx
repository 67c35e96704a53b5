/**
 * A connection's page and its actions: Settings (Update connection),
 * Role assignment, activate / deactivate, delete, and Test SSO. Every change
 * goes through the management API's validation and `updateConnection`.
 *
 * Test SSO is an ordinary login whose "app" is this dashboard: it starts at
 * the IdP in the admin's browser and comes back to `/dashboard/test-sso/result`
 * with a one-time code (or an error), which is redeemed here only if it was
 * issued to that address, so an app's code stays the app's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { updateConnectionInput } from '../../api/connection-input.ts';
import { parseInput } from '../../api/parse-input.ts';
import { updateConnection } from '../../api/save-connection.ts';
import { defaultDiscoveryEndpoint, missingSettings } from '../../connections/settings.ts';
import { firstCleverApp, redirectUriFor } from '../../connections/redirect-uri.ts';
import { upstreamClientsFor } from '../../connections/upstream-client.ts';
import { WELL_KNOWN_PATH } from '../../connections/validate-discovery.ts';
import type { AreaOptions } from '../../context.ts';
import { HallpassError, toHallpassError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { sendPage } from '../../pages/send-page.ts';
import { hashSecret } from '../../secrets.ts';
import { recordRejectedStart } from '../../sso/login-attempts.ts';
import { startUpstreamLogin } from '../../sso/start-upstream-login.ts';
import type { Connection, RoleMapping } from '../../store/types.ts';
import { recordAudit } from '../audit.ts';
import { conflictField, fieldErrors, formFields } from '../../pages/form-input.ts';
import { noticeFrom, withNotice } from '../notices.ts';
import { adminActor, changedFields } from '../actor.ts';
import { findConnection, findOrganization } from '../lookups.ts';
import { paths } from '../paths.ts';
import { viewerOf } from '../viewer.ts';
import { ConnectionPage, type ConnectionPageProps, DeleteConnectionPage, type SettingsValues } from './pages.tsx';
import { explainFailure, type TestResult } from '../../sso/test-result.ts';

interface ById {
  Params: { id: string };
}

type PageExtras = Pick<ConnectionPageProps, 'notice' | 'settings' | 'roles' | 'test' | 'error'>;

export default async function connectionRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const clients = upstreamClientsFor(ctx);
  const testResultUri = `${ctx.config.publicUrl}${paths.testSsoResult}`;

  async function show(request: FastifyRequest, reply: FastifyReply, status: number, connection: Connection, extras: PageExtras = {}) {
    const [organization, settings] = await Promise.all([findOrganization(ctx, connection.organizationId), ctx.store.settings.get()]);
    return sendPage(reply, status, (
      <ConnectionPage
        viewer={viewerOf(request, reply)}
        connection={connection}
        organization={organization}
        redirectUri={redirectUriFor(ctx.config.publicUrl, connection, await firstCleverApp(ctx.store))}
        defaultRole={settings.defaultRole}
        missing={missingSettings(connection)}
        sandboxLaunches={sandboxLaunches(connection)}
        {...extras}
      />
    ));
  }

  /** Saves a change through the shared rule; a refusal is returned as field errors, anything else is thrown. */
  async function save(request: FastifyRequest, current: Connection, input: Record<string, unknown>, formName: (f: string) => string = (f) => f) {
    try {
      const updated = await updateConnection(ctx, current.id, parseInput(updateConnectionInput, input, 'body'));
      await recordAudit(ctx, {
        actor: adminActor(request),
        action: 'connection.updated',
        targetType: 'connection',
        targetId: current.id,
        changes: {
          ...changedFields(auditView(current), auditView(updated)),
          // Never the secret: only that it was set or changed, in the words the API's entries use.
          ...(typeof input.client_secret === 'string' ? { client_secret: { to: current.clientSecretEncrypted ? 'changed' : 'set' } } : {}),
        },
      });
      return { updated };
    } catch (err) {
      const conflict = conflictField(err);
      if (conflict) return { errors: { [conflict.field]: conflict.message } };
      return { errors: fieldErrors(err, formName) };
    }
  }

  app.get<ById>('/connections/:id', async function showConnection(request, reply) {
    return show(request, reply, 200, await findConnection(ctx, request.params.id), { notice: noticeFrom(request.query) });
  });

  app.post<ById>('/connections/:id/settings', async function updateSettings(request, reply) {
    const current = await findConnection(ctx, request.params.id);
    const fields = formFields(request.body);
    const values: SettingsValues = {
      name: fields.name ?? current.name,
      client_id: fields.client_id ?? '',
      discovery_endpoint: fields.discovery_endpoint ?? '',
      district_id: fields.district_id ?? '',
    };
    const blank = (value: string) => (value.trim() === '' ? null : value);
    const result = await save(request, current, {
      name: values.name,
      client_id: blank(values.client_id),
      // Empty keeps the secret: it is write-only, so the form never holds it.
      ...(fields.client_secret ? { client_secret: fields.client_secret } : {}),
      // Empty means Clever's own for Clever, and "not set" for OpenID Connect.
      discovery_endpoint: blank(values.discovery_endpoint),
      ...(current.connectionType === 'CleverOIDC' ? { district_id: blank(values.district_id) } : {}),
    });
    if (result.errors) return show(request, reply, Object.values(result.errors).some((m) => /already/.test(m)) ? 409 : 422, current, { settings: { values, errors: result.errors } });
    return reply.redirect(withNotice(paths.connection(current.id), result.updated.state === 'draft' ? 'connection-saved-draft' : 'connection-saved'), 303);
  });

  app.post<ById>('/connections/:id/roles', async function changeRoles(request, reply) {
    const current = await findConnection(ctx, request.params.id);
    const fields = formFields(request.body);
    const mappings: RoleMapping[] = [...current.roleMappings];
    const index = Number(fields.index);
    const valid = Number.isInteger(index) && index >= 0 && index < mappings.length;
    switch (fields.action) {
      case 'add':
        mappings.push({ group: fields.group ?? '', role: fields.role ?? '' });
        break;
      case 'remove':
        if (valid) mappings.splice(index, 1);
        break;
      case 'up':
      case 'down': {
        const other = fields.action === 'up' ? index - 1 : index + 1;
        if (valid && other >= 0 && other < mappings.length) [mappings[index], mappings[other]] = [mappings[other]!, mappings[index]!];
        break;
      }
      default:
        throw new HallpassError('invalid_request', 'Unknown role assignment action.');
    }
    const result = await save(request, current, { role_mappings: mappings }, (field) => {
      if (/^role_mappings\[\d+\]\.role$/.test(field)) return 'role';
      if (/^role_mappings\[\d+\]\.group$/.test(field) || field === 'role_mappings') return 'group';
      return 'form';
    });
    if (result.errors) {
      return show(request, reply, 422, current, { roles: { group: fields.group ?? '', role: fields.role ?? '', errors: result.errors } });
    }
    return reply.redirect(`${withNotice(paths.connection(current.id), 'roles-saved')}#roles-heading`, 303);
  });

  app.post<ById>('/connections/:id/state', async function changeState(request, reply) {
    const current = await findConnection(ctx, request.params.id);
    const state = formFields(request.body).state;
    if (state !== 'active' && state !== 'inactive') throw new HallpassError('invalid_request', 'Choose to activate or deactivate the connection.');
    const result = await save(request, current, { state });
    if (result.errors) return show(request, reply, 409, current, { error: Object.values(result.errors).join(' ') });
    const now = result.updated.state;
    return reply.redirect(withNotice(paths.connection(current.id), now === 'inactive' ? 'connection-deactivated' : now === 'active' ? 'connection-activated' : 'connection-saved'), 303);
  });

  app.get<ById>('/connections/:id/delete', async (request, reply) => {
    const connection = await findConnection(ctx, request.params.id);
    const organization = await findOrganization(ctx, connection.organizationId);
    return sendPage(reply, 200, <DeleteConnectionPage viewer={viewerOf(request, reply)} connection={connection} organization={organization} />);
  });

  app.post<ById>('/connections/:id/delete', async function deleteConnection(request, reply) {
    const connection = await findConnection(ctx, request.params.id);
    if (!(await ctx.store.connections.destroy(connection.id))) throw new HallpassError('entity_not_found', 'This connection was already deleted.');
    await recordAudit(ctx, { actor: adminActor(request), action: 'connection.deleted', targetType: 'connection', targetId: connection.id, changes: { name: { from: connection.name } } });
    return reply.redirect(withNotice(paths.organization(connection.organizationId), 'connection-deleted'), 303);
  });

  app.post<ById>('/connections/:id/test', async function startTestSso(request, reply) {
    const connection = await findConnection(ctx, request.params.id);
    const loginAttemptId = newId('login');
    try {
      if (connection.state !== 'active') throw new HallpassError('connection_invalid', `The connection is ${connection.state}; Test SSO needs an active connection.`);
      const url = await startUpstreamLogin(ctx, clients, request, reply, {
        connection,
        credentials: connection,
        app: { redirectUri: testResultUri, state: loginAttemptId, codeChallenge: null },
        initiatedBy: 'test',
        loginAttemptId,
      });
      return reply.header('cache-control', 'no-store').redirect(url.href, 303);
    } catch (err) {
      const error = toHallpassError(err);
      if (error.status >= 500 && !error.code.startsWith('upstream_')) throw err;
      await recordRejectedStart(ctx, loginAttemptId, 'test', error);
      const attempt = await ctx.store.loginAttempts.find(loginAttemptId);
      return show(request, reply, 200, connection, { test: attempt ? explainFailure(attempt) : undefined, error: attempt ? undefined : error.message });
    }
  });

  app.get<{ Querystring: Record<string, unknown> }>('/test-sso/result', async function testSsoResult(request, reply) {
    const param = (name: string) => (typeof request.query[name] === 'string' ? (request.query[name] as string).slice(0, 512) : undefined);
    const code = param('code');
    const attemptId = param('state');
    let result: TestResult | undefined;
    let connectionId: string | null | undefined;
    if (code) {
      // Only codes issued to this page: an app's code stays the app's.
      const issued = await ctx.store.codes.consume(hashSecret(code), new Date(ctx.now()), { redirectUri: testResultUri });
      if (issued) {
        await ctx.store.loginAttempts.update(issued.loginAttemptId, { step: 'code_redeemed', outcome: 'succeeded' });
        result = { ok: true, profile: issued.profile, attemptId: issued.loginAttemptId };
        connectionId = issued.profile.connection_id;
      }
    }
    if (!result && attemptId) {
      const attempt = await ctx.store.loginAttempts.find(attemptId);
      if (attempt?.initiatedBy === 'test') {
        connectionId = attempt.connectionId;
        result = attempt.outcome === 'failed' ? explainFailure(attempt) : { ok: false, attemptId: attempt.id, alreadyShown: true };
      }
    }
    const connection = connectionId ? await ctx.store.connections.find(connectionId) : undefined;
    if (!result || !connection) {
      throw new HallpassError('entity_not_found', 'This Test SSO result is unknown, or its connection was deleted. Start Test SSO again from the connection’s page.');
    }
    return show(request, reply, 200, connection, { test: result });
  });

  /** Portal and Instant Login links, for a Clever connection pointed at a Clever sandbox (never at Clever itself). */
  function sandboxLaunches(connection: Connection): ConnectionPageProps['sandboxLaunches'] {
    const endpoint = connection.discoveryEndpoint;
    if (connection.connectionType !== 'CleverOIDC' || !endpoint || !connection.districtId || !connection.clientId) return undefined;
    if (endpoint === defaultDiscoveryEndpoint('CleverOIDC') || !endpoint.endsWith(WELL_KNOWN_PATH)) return undefined;
    const base = endpoint.slice(0, -WELL_KNOWN_PATH.length);
    const district = encodeURIComponent(connection.districtId);
    return {
      portal: `${base}/in?district_id=${district}`,
      instantLogin: `${base}/oauth/instant-login?client_id=${encodeURIComponent(connection.clientId)}&district_id=${district}`,
    };
  }
}

/** What the audit log shows of a connection's settings (no secret). */
function auditView(c: Connection) {
  return {
    name: c.name,
    client_id: c.clientId,
    discovery_endpoint: c.discoveryEndpoint,
    district_id: c.districtId,
    role_mappings: c.roleMappings,
    state: c.state,
  };
}
