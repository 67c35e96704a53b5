/**
 * Clever OIDC, with all of Clever's quirks in one place:
 * - token requests authenticate with HTTP Basic only;
 * - `district_id` on the authorization request skips Clever's school picker;
 * - apps Clever has not configured for OIDC get no ID token: the profile then
 *   comes from the Data API (`/v3.0/me`, then `/v3.0/users/{id}`), which for
 *   clever.com lives on api.clever.com rather than on the issuer's host;
 * - `sub` is the multi-role user ID (the profile's idp_id); the legacy
 *   `user_id`, `user_type` and the district stay in raw_attributes as Clever
 *   sent them;
 * - the district claim is `district` in Clever's current documentation and
 *   `district_id` in older ID tokens (seed 001): either is read, and both
 *   must agree when both are sent. An ID token without either sends Hallpass
 *   to `/userinfo`, then to the Data API's `/v3.0/me`;
 * - `user_type` is spelled `staff` / `district admin` today and
 *   `school_admin` / `district_admin` in older tokens; the profile's one
 *   group is the canonical spelling below, so role mappings can give
 *   teachers and students different roles whichever spelling Clever sends.
 */
import { HallpassError } from '../errors.ts';
import { stringClaim, type ConnectionModule, type UpstreamIdentity } from './identity.ts';
import type { UpstreamClients } from './upstream-client.ts';

const CLEVER_ISSUER = 'https://clever.com';
/** Clever's own discovery document; a connection may point elsewhere (the sandbox). */
const CLEVER_DISCOVERY_ENDPOINT = `${CLEVER_ISSUER}/.well-known/openid-configuration`;
const CLEVER_DATA_API = 'https://api.clever.com';

/**
 * Every spelling of a Clever user type (ID-token `user_type` then and now,
 * and the Data API's v3.0 role keys) → the profile's canonical group.
 */
const canonicalUserType: Record<string, string> = {
  student: 'student',
  teacher: 'teacher',
  staff: 'school_admin',
  school_admin: 'school_admin',
  'district admin': 'district_admin',
  district_admin: 'district_admin',
};

/** A Clever user type, any spelling, as the profile's group (`district_admin`, `student`, …). */
export function cleverUserGroup(userType: string): string {
  return canonicalUserType[userType] ?? userType;
}

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
    const identity = claims && identityFromClaims(claims, 'ID token');
    if (identity?.districtId) return identity;

    const { issuer, userinfo_endpoint } = await clients.metadata(conn, this.clientAuth);
    const dataApi = issuer === CLEVER_ISSUER ? CLEVER_DATA_API : issuer;
    if (!identity) return identityFromDataApi(clients, dataApi, accessToken);
    // No district in the ID token: ask /userinfo (its `sub` is checked against the ID token's), then the Data API.
    if (userinfo_endpoint) {
      const userinfo = await clients.userinfo(conn, this.clientAuth, accessToken, identity.idpId);
      const districtId = districtClaim(userinfo, '/userinfo');
      if (districtId) return { ...identity, rawAttributes: { ...userinfo, ...identity.rawAttributes }, districtId };
    }
    const me = await getJson<CleverMe>(clients, `${dataApi}/v3.0/me`, accessToken);
    const districtId = str(me.data?.district);
    return districtId ? { ...identity, districtId } : identity;
  },
};

function identityFromClaims(claims: Record<string, unknown>, source: string): UpstreamIdentity {
  const sub = stringClaim(claims, 'sub');
  if (!sub) throw new HallpassError('upstream_invalid_response', `The Clever ${source} has no \`sub\` claim.`);
  const userType = stringClaim(claims, 'user_type');
  return {
    idpId: sub,
    email: stringClaim(claims, 'email'),
    firstName: stringClaim(claims, 'given_name'),
    lastName: stringClaim(claims, 'family_name'),
    groups: userType ? [cleverUserGroup(userType)] : [],
    rawAttributes: { ...claims },
    districtId: districtClaim(claims, source),
  };
}

/** The user's district from `district` (Clever today) or `district_id` (older tokens); both must agree. */
function districtClaim(claims: Record<string, unknown>, source: string): string | null {
  const district = stringClaim(claims, 'district');
  const districtId = stringClaim(claims, 'district_id');
  if (district && districtId && district !== districtId) {
    throw new HallpassError('upstream_invalid_response', `The Clever ${source} names two districts: district ${district} and district_id ${districtId}.`);
  }
  return district ?? districtId;
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
  const roles = Object.keys(user.roles ?? {}).filter((r) => r in canonicalUserType);
  const userTypes = roles.map((r) => canonicalUserType[r]!);
  const district = str(me.data?.district) ?? str(user.district);
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

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
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
