/**
 * Generic OpenID Connect: standard claims, groups for role assignment.
 * `sub` → idp_id, `email`, `given_name` → first_name, `family_name` →
 * last_name, `groups`; every claim from the ID token and userinfo is kept in
 * raw_attributes.
 */
import { HallpassError } from '../errors.ts';
import { stringClaim, type ConnectionModule } from './identity.ts';

const BASE_SCOPES = ['openid', 'email', 'profile'];

export const genericOidc: ConnectionModule = {
  type: 'GenericOIDC',
  clientAuth: 'as_advertised',
  defaultDiscoveryEndpoint: null,
  servesOneDistrict: false,
  idToken: 'required',

  authorizationParams(_conn, loginHint, scopesSupported) {
    // Many IdPs (Okta, Keycloak, ...) only send `groups` when asked by scope.
    const scopes = scopesSupported?.includes('groups') ? [...BASE_SCOPES, 'groups'] : BASE_SCOPES;
    return {
      scope: scopes.join(' '),
      ...(loginHint ? { login_hint: loginHint } : {}),
    };
  },

  async readIdentity({ conn, clients, accessToken, claims }) {
    if (!claims) throw new HallpassError('upstream_invalid_response', 'The identity provider sent no ID token.');
    const sub = stringClaim(claims, 'sub');
    if (!sub) throw new HallpassError('upstream_invalid_response', 'The ID token has no `sub` claim.');
    // Userinfo fills in what the ID token leaves out; openid-client checks its `sub`.
    const userinfo = (await clients.metadata(conn, this.clientAuth)).userinfo_endpoint
      ? await clients.userinfo(conn, this.clientAuth, accessToken, sub)
      : {};
    const merged: Record<string, unknown> = { ...userinfo, ...claims };
    return {
      idpId: sub,
      email: stringClaim(merged, 'email'),
      firstName: stringClaim(merged, 'given_name'),
      lastName: stringClaim(merged, 'family_name'),
      groups: readGroups(merged.groups),
      rawAttributes: merged,
      districtId: null,
    };
  },
};

/** `groups` as a list of strings; IdPs send an array, a few a single string. */
function readGroups(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  return [];
}
