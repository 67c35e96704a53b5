/**
 * After the IdP answered: which connection (and so organization) the login
 * belongs to. For generic OIDC it is the one the login started with. For
 * Clever, the user's district decides: one Clever app serves many districts,
 * each district's organization holding its own connection.
 */
import { HallpassError } from '../errors.ts';
import type { AuthorizationState, Connection, Store } from '../store/types.ts';
import type { UpstreamIdentity } from '../connections/identity.ts';

export async function resolveConnection(store: Store, pending: AuthorizationState, credentials: Connection, identity: UpstreamIdentity): Promise<Connection> {
  if (pending.connectionType !== 'CleverOIDC') return credentials;

  const district = identity.districtId;
  if (!district) throw new HallpassError('upstream_invalid_response', 'Clever did not say which district the user belongs to.');

  if (pending.connectionId) {
    if (credentials.districtId !== district) {
      throw new HallpassError('access_denied', `The user signed in to Clever district ${district}, which this organization's connection does not serve.`);
    }
    return credentials;
  }

  // Each Clever app serves its own districts; a district may use several apps, each through one connection.
  const servedByAnyApp = await store.connections.findActiveCleverByDistrict(district);
  const served = servedByAnyApp.find((c) => c.clientId === credentials.clientId);
  if (served) return served;
  if (servedByAnyApp.length > 0) {
    throw new HallpassError('access_denied', `District ${district} is served through a different Clever app than the one the user signed in to.`);
  }
  throw new HallpassError('organization_invalid', `No organization is set up for Clever district ${district} yet.`, {
    fields: { district_id: district },
  });
}
