/**
 * Clever OIDC, with all of Clever's quirks in one place:
 * - token requests authenticate with HTTP Basic only;
 * - `district_id` on the authorization request skips Clever's school picker;
 * - apps Clever has not configured for OIDC get no ID token: the profile then
 *   comes from the Data API (`/v3.0/me`, then `/v3.0/users/{id}`), which for
 *   clever.com lives on api.clever.com rather than on the issuer's host;
 * - `sub` is the multi-role user ID (the profile's idp_id); the legacy
 *   `user_id`, `user_type` and `district_id` stay in raw_attributes;
 * - the user's type is also the profile's one group, so role mappings can
 *   give teachers and students different roles.
 */
import { HallpassError } from '../errors.ts';
import { stringClaim, type ConnectionModule, type UpstreamIdentity } from './identity.ts';
import type { UpstreamClients } from './upstream-client.ts';

const CLEVER_ISSUER = 'https://clever.com';
/** Clever's own discovery document; a connection may point elsewhere (the sandbox). */
const CLEVER_DISCOVERY_ENDPOINT = `${CLEVER_ISSUER}/.well-known/openid-configuration`;
const CLEVER_DATA_API = 'https://api.clever.com';

/** Clever's v3.0 role keys and the `user_type` each corresponds to in ID tokens. */
const roleToUserType: Record<string, string> = {
  student: 'student',
  teacher: 'teacher',
  staff: 'school_admin',
  district_admin: 'district_admin',
};

export const cleverOidc: ConnectionModule = {
  type: 'CleverOIDC',
  clientAuth: 'client_secret_basic',
  defaultDiscoveryEndpoint: CLEVER_DISCOVERY_ENDPOINT,
  // One Clever app serves many districts: the district is how a login finds its organization.
  servesOneDistrict: true,
  idToken: 'optional',

  authorizationParams(conn): Record<string, string> {
    return conn?.districtId ? { district_id: conn.districtId } : {};
  },

  async readIdentity({ conn, clients, accessToken, claims }) {
    if (claims) return identityFromIdToken(claims);
    const { issuer } = await clients.metadata(conn, this.clientAuth);
    return identityFromDataApi(clients, issuer === CLEVER_ISSUER ? CLEVER_DATA_API : issuer, accessToken);
  },
};

function identityFromIdToken(claims: Record<string, unknown>): UpstreamIdentity {
  const sub = stringClaim(claims, 'sub');
  if (!sub) throw new HallpassError('upstream_invalid_response', 'The Clever ID token has no `sub` claim.');
  const userType = stringClaim(claims, 'user_type');
  return {
    idpId: sub,
    email: stringClaim(claims, 'email'),
    firstName: stringClaim(claims, 'given_name'),
    lastName: stringClaim(claims, 'family_name'),
    groups: userType ? [userType] : [],
    rawAttributes: { ...claims },
    districtId: stringClaim(claims, 'district_id'),
  };
}

interface CleverMe {
  data?: { id?: unknown; district?: unknown; type?: unknown };
}
interface CleverUser {
  data?: {
    id?: unknown;
    district?: unknown;
    email?: unknown;
    name?: { first?: unknown; middle?: unknown; last?: unknown };
    roles?: Record<string, unknown>;
  };
}

async function identityFromDataApi(clients: UpstreamClients, apiBase: string, accessToken: string): Promise<UpstreamIdentity> {
  const me = await getJson<CleverMe>(clients, `${apiBase}/v3.0/me`, accessToken);
  const id = typeof me.data?.id === 'string' ? me.data.id : null;
  if (!id) throw new HallpassError('upstream_invalid_response', 'Clever /v3.0/me returned no user ID.');
  const user = (await getJson<CleverUser>(clients, `${apiBase}/v3.0/users/${encodeURIComponent(id)}`, accessToken)).data ?? {};
  const roles = Object.keys(user.roles ?? {}).filter((r) => r in roleToUserType);
  const userTypes = roles.map((r) => roleToUserType[r]!);
  const district = typeof me.data?.district === 'string' ? me.data.district : typeof user.district === 'string' ? user.district : null;
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  return {
    idpId: id,
    email: str(user.email),
    firstName: str(user.name?.first),
    lastName: str(user.name?.last),
    groups: userTypes,
    rawAttributes: {
      multi_role_user_id: id,
      district_id: district,
      // A multi-role user's pick is not visible to a non-OIDC app; only a single role is certain.
      ...(userTypes.length === 1 ? { user_type: userTypes[0] } : {}),
      name: user.name,
      email: user.email ?? null,
      roles: user.roles,
    },
    districtId: district,
  };
}

async function getJson<T>(clients: UpstreamClients, url: string, accessToken: string): Promise<T> {
  const response = await clients.getWithBearer(url, accessToken);
  const body = await response.text();
  if (!response.ok) {
    throw new HallpassError('upstream_error', `Clever's Data API answered ${response.status} for ${new URL(url).pathname}.`, { upstreamError: body.slice(0, 300) });
  }
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new HallpassError('upstream_invalid_response', `Clever's Data API returned something other than JSON for ${new URL(url).pathname}.`);
  }
}
