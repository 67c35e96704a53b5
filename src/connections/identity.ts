import type { Connection, ConnectionType } from '../store/types.ts';
import type { ClientAuthMethod, UpstreamClients } from './upstream-client.ts';

/** Who the IdP says signed in, before Hallpass assigns an organization and roles. */
export interface UpstreamIdentity {
  idpId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  groups: string[];
  rawAttributes: Record<string, unknown>;
  /** Clever only: the user's district, which picks the organization. */
  districtId: string | null;
}

export interface ReadIdentityInput {
  conn: Connection;
  clients: UpstreamClients;
  accessToken: string;
  claims: Record<string, unknown> | undefined;
}

/**
 * One connection type: how to ask its IdP for a login and how to read the
 * answer. Everything quirky about an IdP lives in its module.
 */
export interface ConnectionModule {
  readonly type: ConnectionType;
  readonly clientAuth: ClientAuthMethod;
  /** Where a new connection finds its IdP when the admin gives no discovery endpoint. */
  readonly defaultDiscoveryEndpoint: string | null;
  /** Whether a connection must name the (Clever) district it serves before it can go live. */
  readonly servesOneDistrict: boolean;
  /** Whether the token response must carry an ID token. */
  readonly idToken: 'required' | 'optional';
  /** Extra parameters for the IdP's authorization request. */
  authorizationParams(conn: Connection | null, loginHint: string | undefined, scopesSupported: string[] | undefined): Record<string, string>;
  /** Builds the identity from the validated tokens (and userinfo or APIs as needed). */
  readIdentity(input: ReadIdentityInput): Promise<UpstreamIdentity>;
}

/** A string claim, or null when absent, empty or not a string. */
export function stringClaim(claims: Record<string, unknown> | undefined, name: string): string | null {
  const value = claims?.[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}
