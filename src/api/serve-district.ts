/**
 * A Clever district joins an organization ("Add to an organization" on the
 * dashboard's Clever page, a district admin's sign-in through a setup link):
 * a new Clever connection for the organization, serving the district, with
 * the credentials of the Clever app the district's sign-ins came through. It
 * is made exactly as `POST /connections` makes one (same settings, same
 * discovery check, same one-district-one-connection rule), so it goes active
 * when the app's discovery endpoint answers.
 */
import { blankSettings } from './connection-input.ts';
import { entityNotFound } from './entity-not-found.ts';
import { settledNewConnection } from './save-connection.ts';
import type { HallpassContext } from '../context.ts';
import { HallpassError } from '../errors.ts';
import type { Connection } from '../store/types.ts';

export async function serveDistrict(ctx: HallpassContext, input: { organizationId: string; districtId: string; appClientId: string }): Promise<Connection> {
  const { store } = ctx;
  const org = await store.organizations.find(input.organizationId);
  if (!org) throw entityNotFound('Organization', input.organizationId);
  const app = await store.connections.findActiveCleverApp(input.appClientId);
  if (!app) throw new HallpassError('invalid_request', `No active Clever connection uses the Clever app ${input.appClientId}: configure one first.`);
  return store.connections.create(
    await settledNewConnection(ctx, {
      ...blankSettings(org.id, 'CleverOIDC', org.name),
      clientId: app.clientId,
      clientSecretEncrypted: app.clientSecretEncrypted,
      discoveryEndpoint: app.discoveryEndpoint,
      districtId: input.districtId,
    }),
  );
}
