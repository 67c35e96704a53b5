/**
 * Picks the connection an app's /sso/authorize request asks for: exactly one
 * of `connection`, `organization` or `provider=CleverOIDC`. With several
 * Clever apps, `provider=CleverOIDC` names its app by Clever client ID in
 * `provider_query_params[client_id]`.
 */
import { HallpassError } from '../errors.ts';
import type { Connection, Store } from '../store/types.ts';
import { cleverCredentials } from './clever-credentials.ts';

export interface Selector {
  connection?: string | undefined;
  organization?: string | undefined;
  provider?: string | undefined;
  /** For `provider=CleverOIDC`: the Clever app's client ID, needed when there are several. */
  providerClientId?: string | undefined;
}

export interface SelectedConnection {
  /** Null for `provider=CleverOIDC`: the user's district picks the connection afterwards. */
  connection: Connection | null;
  /** Whose client credentials talk to the IdP. */
  credentials: Connection;
}

export async function selectConnection(store: Store, selector: Selector): Promise<SelectedConnection> {
  const given = [selector.connection, selector.organization, selector.provider].filter((v) => v !== undefined);
  if (given.length === 0) {
    throw new HallpassError('invalid_connection_selector', 'One of connection, organization or provider is required.');
  }
  if (given.length > 1) {
    throw new HallpassError('ambiguous_connection_selector', 'Give only one of connection, organization or provider.');
  }

  if (selector.provider !== undefined) {
    if (selector.provider !== 'CleverOIDC') {
      throw new HallpassError('invalid_connection_selector', `Provider "${selector.provider}" is not supported; the supported provider is CleverOIDC.`);
    }
    return { connection: null, credentials: await cleverCredentials(store, selector.providerClientId) };
  }

  if (selector.connection !== undefined) {
    const connection = await store.connections.find(selector.connection);
    if (!connection) throw new HallpassError('connection_invalid', `Connection ${selector.connection} does not exist.`);
    if (connection.state !== 'active') {
      throw new HallpassError('connection_invalid', `Connection ${selector.connection} is ${connection.state}, not active.`);
    }
    return { connection, credentials: connection };
  }

  const orgId = selector.organization!;
  // With several active connections the oldest one serves: the same answer every time.
  const connection = await store.connections.findFirstActive(orgId);
  if (!connection) {
    // Only a failing login pays for telling "no such organization" from "no active connection".
    const organization = await store.organizations.find(orgId);
    throw new HallpassError('organization_invalid', organization ? `Organization ${orgId} has no active connection.` : `Organization ${orgId} does not exist.`);
  }
  return { connection, credentials: connection };
}
