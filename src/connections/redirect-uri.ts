import type { Connection } from '../store/types.ts';

/** The deployment-wide Clever callback of Hallpass versions with one Clever app (kept for upgraded deployments). */
export const LEGACY_CLEVER_CALLBACK_PATH = '/sso/clever/callback';

/**
 * The Redirect URI an IdP must send users back to (the connection's
 * "Service Provider Details").
 *
 * Clever: one URI per Clever app (client ID), shared by every connection of
 * that app. Logins started at the Clever Portal or an Instant Login link
 * land on the app's primary redirect URI with nothing else saying which app
 * sent them, so the URI itself must; the district in the ID token then picks
 * the organization. A deployment upgraded from one Clever app keeps the old
 * deployment-wide URI for that app (`legacyCleverClientId`), so the URI
 * registered at Clever stays valid. Null until the connection has a client ID.
 *
 * Generic OIDC: one URI per connection, so the callback knows which IdP
 * answered before it reads anything the IdP sent.
 */
export function redirectUriFor(
  publicUrl: string,
  connection: Pick<Connection, 'id' | 'connectionType' | 'clientId'>,
  legacyCleverClientId: string | null,
): string | null {
  if (connection.connectionType !== 'CleverOIDC') return `${publicUrl}/sso/oidc/callback/${connection.id}`;
  if (connection.clientId === null) return null;
  if (connection.clientId === legacyCleverClientId) return `${publicUrl}${LEGACY_CLEVER_CALLBACK_PATH}`;
  return `${publicUrl}${LEGACY_CLEVER_CALLBACK_PATH}/${encodeURIComponent(connection.clientId)}`;
}
