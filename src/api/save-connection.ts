/**
 * Creating and changing a connection: the one rule behind both the
 * management API and the dashboard. Saving settles the connection's state,
 * running the discovery check when that decision needs it (see
 * settle-connection-state.ts). Input has passed `createConnectionInput` /
 * `updateConnectionInput` already.
 */
import type { z } from 'zod';
import type { HallpassContext } from '../context.ts';
import { newId } from '../ids.ts';
import type { Connection } from '../store/types.ts';
import { applySettingsInput, blankSettings, type ConnectionSettings, type createConnectionInput, idpSettingsChanged, type updateConnectionInput } from './connection-input.ts';
import { entityNotFound } from './entity-not-found.ts';
import { invalidParameters } from './parse-input.ts';
import { settleConnectionState } from './settle-connection-state.ts';
import { assertDistrictFree } from './uniqueness.ts';

/** @throws HallpassError `entity_not_found` for an unknown organization, `conflict` for a district already served. */
export async function createConnection(ctx: HallpassContext, input: z.output<typeof createConnectionInput>, options: NewConnectionOptions = {}): Promise<Connection> {
  return ctx.store.connections.create(await newConnectionFields(ctx, input, options));
}

export interface NewConnectionOptions {
  /** Store it disabled (a setup link's connection stays so until a test sign-in succeeds). */
  inactive?: boolean;
}

/**
 * A new connection's fields and settled state, checked (discovery, district)
 * but not stored: for writers that store it in a transaction of their own
 * (the management API commits it with its Idempotency-Key answer).
 */
export async function newConnectionFields(ctx: HallpassContext, input: z.output<typeof createConnectionInput>, options: NewConnectionOptions = {}): Promise<Omit<Connection, 'createdAt' | 'updatedAt'>> {
  const { store } = ctx;
  const org = await store.organizations.find(input.organization_id);
  if (!org) throw entityNotFound('Organization', input.organization_id);
  // WorkOS names a new connection after its organization.
  return settledNewConnection(ctx, applySettingsInput(blankSettings(org.id, input.connection_type, org.name), input, ctx.secrets), options);
}

/** A new connection with these settings, its state settled (discovery checked) and the district rule checked; not stored. */
export async function settledNewConnection(ctx: HallpassContext, settings: ConnectionSettings, options: NewConnectionOptions = {}): Promise<Omit<Connection, 'createdAt' | 'updatedAt'>> {
  const settled = await settleConnectionState(settings, {
    previous: undefined,
    disabled: options.inactive ?? false,
    settingsChanged: true,
    timeoutMs: ctx.config.upstreamTimeoutMs,
    requireHttps: ctx.config.env === 'production',
  });
  await assertDistrictFree(ctx.store, { ...settings, ...settled });
  await claimFirstCleverApp(ctx, { ...settings, ...settled });
  return { id: newId('conn'), ...settings, ...settled };
}

/**
 * Applies the fields given; omitted ones keep their value.
 * @throws HallpassError `entity_not_found`, `invalid_request_parameters` for a move to
 *   another organization or type, `conflict` for a district already served.
 */
export async function updateConnection(ctx: HallpassContext, id: string, input: z.output<typeof updateConnectionInput>): Promise<Connection> {
  const { store } = ctx;
  const current = await store.connections.find(id);
  if (!current) throw entityNotFound('Connection', id);
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
  await claimFirstCleverApp(ctx, { ...settings, ...settled });
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
  return updated;
}

/**
 * The first Clever app to go live keeps the short `/sso/clever/callback`
 * (see redirect-uri.ts); recorded once, when its first connection is active.
 */
async function claimFirstCleverApp(ctx: HallpassContext, conn: Pick<Connection, 'connectionType' | 'clientId' | 'state'>): Promise<void> {
  if (conn.connectionType === 'CleverOIDC' && conn.state === 'active' && conn.clientId !== null) await ctx.store.settings.claimFirstCleverApp(conn.clientId);
}
