/**
 * "Add to an organization" on the Clever page: a new Clever connection for
 * the organization, serving the district, with the credentials of the Clever
 * app the district's sign-ins came through. It is made exactly as
 * `POST /connections` makes one (same settings, same discovery check, same
 * one-district-one-connection rule), so it goes active when the app's
 * discovery endpoint answers.
 */
import { blankSettings } from '../../api/connection-input.ts';
import { entityNotFound } from '../../api/entity-not-found.ts';
import { settleConnectionState } from '../../api/settle-connection-state.ts';
import { assertDistrictFree } from '../../api/uniqueness.ts';
import type { HallpassContext } from '../../context.ts';
import { HallpassError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { Connection } from '../../store/types.ts';

export async function serveDistrict(ctx: HallpassContext, input: { organizationId: string; districtId: string; appClientId: string }): Promise<Connection> {
  const { store } = ctx;
  const org = await store.organizations.find(input.organizationId);
  if (!org) throw entityNotFound('Organization', input.organizationId);
  const app = (await store.connections.activeCleverApps(100)).find((c) => c.clientId === input.appClientId);
  if (!app) throw new HallpassError('invalid_request', `No active Clever connection uses the Clever app ${input.appClientId}: configure one first.`);
  const settings = {
    ...blankSettings(org.id, 'CleverOIDC', org.name),
    clientId: app.clientId,
    clientSecretEncrypted: app.clientSecretEncrypted,
    discoveryEndpoint: app.discoveryEndpoint,
    districtId: input.districtId,
  };
  const settled = await settleConnectionState(settings, {
    previous: undefined,
    disabled: false,
    settingsChanged: true,
    timeoutMs: ctx.config.upstreamTimeoutMs,
    requireHttps: ctx.config.env === 'production',
  });
  await assertDistrictFree(store, { ...settings, ...settled });
  return store.connections.create({ id: newId('conn'), ...settings, ...settled });
}
