import type { Connection, ConnectionType } from '../store/types.ts';
import { connectionModule, connectionTypes } from './index.ts';

export { connectionTypes };

/** The discovery endpoint a new connection gets when none is given (Clever's own, for Clever). */
export function defaultDiscoveryEndpoint(type: ConnectionType): string | null {
  return connectionModule(type).defaultDiscoveryEndpoint;
}

/** The settings still missing before a connection can leave `draft`. */
export function missingSettings(conn: Pick<Connection, 'connectionType' | 'clientId' | 'clientSecretEncrypted' | 'discoveryEndpoint' | 'districtId'>): string[] {
  const missing: string[] = [];
  if (!conn.clientId) missing.push('client_id');
  if (!conn.clientSecretEncrypted) missing.push('client_secret');
  if (!conn.discoveryEndpoint) missing.push('discovery_endpoint');
  if (connectionModule(conn.connectionType).servesOneDistrict && !conn.districtId) missing.push('district_id');
  return missing;
}
