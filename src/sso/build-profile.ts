import { assignRoles } from '../connections/roles.ts';
import type { UpstreamIdentity } from '../connections/identity.ts';
import { newId } from '../ids.ts';
import type { Connection, Profile } from '../store/types.ts';

/** The normalized profile the app receives, in WorkOS's shape. */
export function buildProfile(identity: UpstreamIdentity, connection: Connection, defaultRole: string): Profile {
  const { role, roles } = assignRoles(identity.groups, connection.roleMappings, defaultRole);
  return {
    object: 'profile',
    id: newId('prof'),
    idp_id: identity.idpId,
    organization_id: connection.organizationId,
    connection_id: connection.id,
    connection_type: connection.connectionType,
    email: identity.email,
    first_name: identity.firstName,
    last_name: identity.lastName,
    role,
    roles,
    groups: identity.groups,
    custom_attributes: {},
    raw_attributes: identity.rawAttributes,
  };
}
