import { missingSettings } from '../connections/settings.ts';
import { redirectUriFor } from '../connections/redirect-uri.ts';
import type { Connection } from '../store/types.ts';

/**
 * A connection in WorkOS's JSON shape (`object`, `id`, `organization_id`,
 * `connection_type`, `name`, `state`, `domains`, timestamps), followed by
 * Hallpass's own settings, which the SDK ignores and admins need:
 * the Redirect URI to give the IdP, the IdP settings, and why the connection
 * is still a draft (`missing_settings`, `validation_error`).
 *
 * The client secret is never part of it, sealed or not: only whether one is set.
 */
export function connectionJson(conn: Connection, publicUrl: string, firstCleverClientId: string | null) {
  return {
    object: 'connection' as const,
    id: conn.id,
    organization_id: conn.organizationId,
    connection_type: conn.connectionType,
    name: conn.name,
    state: conn.state,
    // WorkOS's per-connection domains predate organization domains; Hallpass has only the latter.
    domains: [] as never[],
    redirect_uri: redirectUriFor(publicUrl, conn, firstCleverClientId),
    client_id: conn.clientId,
    client_secret_set: conn.clientSecretEncrypted !== null,
    discovery_endpoint: conn.discoveryEndpoint,
    district_id: conn.districtId,
    role_mappings: conn.roleMappings.map(({ group, role }) => ({ group, role })),
    missing_settings: missingSettings(conn),
    validation_error: conn.validationError,
    created_at: conn.createdAt.toISOString(),
    updated_at: conn.updatedAt.toISOString(),
  };
}
