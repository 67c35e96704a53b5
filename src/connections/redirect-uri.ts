import type { Connection } from '../store/types.ts';

/**
 * The Redirect URI an IdP must send users back to (the connection's
 * "Service Provider Details").
 *
 * Clever: one URI for the whole deployment. One Clever app serves many
 * districts, and logins started at the Clever Portal or an Instant Login link
 * always land on the app's primary redirect URI, whatever the district, so
 * every Clever connection must share it; the district in the ID token then
 * picks the organization.
 *
 * Generic OIDC: one URI per connection, so the callback knows which IdP
 * answered before it reads anything the IdP sent.
 */
export function redirectUriFor(publicUrl: string, connection: Pick<Connection, 'id' | 'connectionType'>): string {
  return connection.connectionType === 'CleverOIDC'
    ? `${publicUrl}/sso/clever/callback`
    : `${publicUrl}/sso/oidc/callback/${connection.id}`;
}
