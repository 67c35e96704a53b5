/** Valid records to start from in store tests; each call makes new IDs. */
import { newId } from '../../src/ids.ts';
import type { AuthorizationCode, AuthorizationState, Connection, LoginAttempt, Organization, Profile } from '../../src/store/types.ts';

export function anOrganization(fields: Partial<Omit<Organization, 'createdAt' | 'updatedAt'>> = {}): Omit<Organization, 'createdAt' | 'updatedAt'> {
  return {
    id: newId('org'),
    name: 'Escuela Ñandú 李',
    externalId: null,
    allowProfilesOutsideOrganization: false,
    domains: [],
    metadata: {},
    ...fields,
  };
}

export function aConnection(organizationId: string, fields: Partial<Omit<Connection, 'createdAt' | 'updatedAt'>> = {}): Omit<Connection, 'createdAt' | 'updatedAt'> {
  return {
    id: newId('conn'),
    organizationId,
    connectionType: 'CleverOIDC',
    name: 'Clever',
    state: 'active',
    clientId: 'clever-client',
    clientSecretEncrypted: 'v1.encrypted',
    discoveryEndpoint: 'https://clever.com/.well-known/openid-configuration',
    districtId: newId('district'),
    roleMappings: [],
    validationError: null,
    ...fields,
  };
}

export function aLoginAttempt(fields: Partial<Omit<LoginAttempt, 'createdAt' | 'updatedAt'>> = {}): Omit<LoginAttempt, 'createdAt' | 'updatedAt'> {
  return {
    id: newId('login'),
    connectionId: null,
    organizationId: null,
    initiatedBy: 'app',
    step: 'authorize',
    outcome: 'pending',
    errorCode: null,
    errorDescription: null,
    upstreamError: null,
    districtId: null,
    idpId: null,
    email: null,
    ...fields,
  };
}

export function aProfile(fields: Partial<Profile> = {}): Profile {
  return {
    object: 'profile',
    id: newId('prof'),
    idp_id: 'clever-user-1',
    organization_id: newId('org'),
    connection_id: newId('conn'),
    connection_type: 'CleverOIDC',
    email: 'josé.muñoz@example.edu',
    first_name: 'José',
    last_name: '李',
    role: { slug: 'member' },
    roles: [{ slug: 'member' }],
    groups: ['g1', 'g2'],
    custom_attributes: {},
    raw_attributes: { user_type: 'teacher', nested: { ok: true, n: 1.5, list: [null, 'x'] } },
    ...fields,
  };
}

export function anAuthorizationState(expiresAt: Date, fields: Partial<AuthorizationState> = {}): AuthorizationState {
  return {
    state: newId('state'),
    connectionId: newId('conn'),
    connectionType: 'CleverOIDC',
    browserBindingHash: 'binding-hash',
    nonce: 'nonce',
    codeVerifier: 'verifier',
    appRedirectUri: 'https://app.example/callback',
    credentialsId: null,
    appState: 'app-state',
    appCodeChallenge: null,
    loginAttemptId: newId('login'),
    recordAttemptOnReturn: null,
    expiresAt,
    ...fields,
  };
}

export function anAuthorizationCode(expiresAt: Date, fields: Partial<AuthorizationCode> = {}): AuthorizationCode {
  return {
    codeHash: newId('hash'),
    clientId: 'client_1',
    redirectUri: 'https://app.example/callback',
    codeChallenge: 'challenge',
    profile: aProfile(),
    loginAttemptId: newId('login'),
    expiresAt,
    ...fields,
  };
}

/** `now` shifted by some seconds. */
export function secondsFrom(now: Date, seconds: number): Date {
  return new Date(now.getTime() + seconds * 1000);
}
