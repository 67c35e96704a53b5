import type { Connection, Store } from '../store/types.ts';

/** The Redirect URI path of the deployment's first Clever app (and of every Clever connection of earlier versions). */
export const SHARED_CLEVER_CALLBACK_PATH = '/sso/clever/callback';

/**
 * The Redirect URI an IdP must send users back to (the connection's
 * "Service Provider Details").
 *
 * Clever: one URI per Clever app (client ID), shared by every connection of
 * that app. Logins started at the Clever Portal or an Instant Login link
 * land on the app's primary redirect URI with nothing else saying which app
 * sent them, so the URI itself must; the district in the ID token then picks
 * the organization. The deployment's first Clever app (`firstCleverClientId`)
 * keeps the short `/sso/clever/callback` that earlier versions gave every
 * Clever connection, so upgraded deployments change nothing, and a
 * deployment with one Clever app never sees another URI; each later app gets
 * `/sso/clever/callback/{client_id}`. A Clever connection without a client
 * ID yet is shown the first app's URI, the one it most likely shares.
 *
 * Generic OIDC: one URI per connection, so the callback knows which IdP
 * answered before it reads anything the IdP sent.
 */
export function redirectUriFor(
  publicUrl: string,
  connection: Pick<Connection, 'id' | 'connectionType' | 'clientId'>,
  firstCleverClientId: string | null,
): string {
  if (connection.connectionType !== 'CleverOIDC') return `${publicUrl}/sso/oidc/callback/${connection.id}`;
  const { clientId } = connection;
  if (clientId === null || firstCleverClientId === null || clientId === firstCleverClientId) return `${publicUrl}${SHARED_CLEVER_CALLBACK_PATH}`;
  return `${publicUrl}${SHARED_CLEVER_CALLBACK_PATH}/${encodeURIComponent(clientId)}`;
}

/**
 * The deployment's first Clever app. While this instance's cached settings
 * know none, it reads past the cache: another instance may have just recorded
 * one, and Redirect URIs depend on it. Once known it never changes.
 */
export async function firstCleverApp(store: Pick<Store, 'settings'>): Promise<string | null> {
  return (await store.settings.get()).firstCleverClientId ?? (await store.settings.get({ fresh: true })).firstCleverClientId;
}
