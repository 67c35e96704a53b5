import type { Connection, ConnectionType } from '../store/types.ts';

/** Clever's own discovery document; a Clever connection may point elsewhere (the sandbox). */
export const CLEVER_DISCOVERY_ENDPOINT = 'https://clever.com/.well-known/openid-configuration';

export const connectionTypes: readonly ConnectionType[] = ['CleverOIDC', 'GenericOIDC'];

/** The discovery endpoint a new connection gets when none is given. */
export function defaultDiscoveryEndpoint(type: ConnectionType): string | null {
  return type === 'CleverOIDC' ? CLEVER_DISCOVERY_ENDPOINT : null;
}

/**
 * The settings still missing before a connection can leave `draft`.
 * Clever connections also need the district they serve: that is how a login
 * finds its organization when several share one Clever app.
 */
export function missingSettings(conn: Pick<Connection, 'connectionType' | 'clientId' | 'clientSecretEncrypted' | 'discoveryEndpoint' | 'districtId'>): string[] {
  const missing: string[] = [];
  if (!conn.clientId) missing.push('client_id');
  if (!conn.clientSecretEncrypted) missing.push('client_secret');
  if (!conn.discoveryEndpoint) missing.push('discovery_endpoint');
  if (conn.connectionType === 'CleverOIDC' && !conn.districtId) missing.push('district_id');
  return missing;
}
