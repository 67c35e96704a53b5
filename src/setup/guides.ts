/**
 * What the IT admin is told for each identity provider, as data: where the
 * Redirect URI goes in that provider's console, which values to bring back,
 * and how the discovery endpoint follows from them (fixed for Google, from
 * the tenant for Entra ID, from the domain for Okta, typed for any other).
 */
import type { ConnectionType } from '../store/types.ts';

export type ProviderId = 'clever' | 'google' | 'entra' | 'okta' | 'oidc';

/** A value the admin types that the discovery endpoint is made from. */
export interface DiscoveryField {
  name: 'tenant' | 'domain' | 'discovery_endpoint';
  label: string;
  hint: string;
  placeholder: string;
}

export interface Guide {
  id: ProviderId;
  name: string;
  connectionType: ConnectionType;
  /** One sentence under the provider's name on the choice page. */
  summary: string;
  /** The steps in the provider's console, in order; `{redirect_uri}` marks where the Redirect URI is shown. */
  steps: string[];
  /** Null: the discovery endpoint is fixed (`fixedDiscovery`). */
  discoveryField: DiscoveryField | null;
  fixedDiscovery?: string;
  /** The discovery endpoint from the typed value; null when the value is not usable. */
  discoveryFrom(value: string): string | null;
  /** The typed value back from a stored discovery endpoint (to prefill the form). */
  valueFrom(discoveryEndpoint: string | null): string;
}

const WELL_KNOWN = '/.well-known/openid-configuration';
const GOOGLE_DISCOVERY = 'https://accounts.google.com/.well-known/openid-configuration';

export const guides: Record<ProviderId, Guide> = {
  clever: {
    id: 'clever',
    name: 'Clever',
    connectionType: 'CleverOIDC',
    summary: 'Your district uses Clever. A district administrator signs in once; nothing to copy.',
    steps: [
      'Sign in with your Clever district administrator account below.',
      'Your district is then connected: its students and staff sign in through Clever (Portal or Log in with Clever).',
    ],
    discoveryField: null,
    discoveryFrom: () => null,
    valueFrom: () => '',
  },
  google: {
    id: 'google',
    name: 'Google Workspace',
    connectionType: 'GenericOIDC',
    summary: 'Sign in with Google accounts of your Workspace domain.',
    steps: [
      'In the Google Cloud console (console.cloud.google.com), choose or create a project, then open APIs & Services → Credentials.',
      'Choose Create credentials → OAuth client ID, application type "Web application".',
      'Under Authorized redirect URIs, add the Redirect URI shown above, exactly.',
      'Create it, then copy the Client ID and Client secret into the form below.',
    ],
    discoveryField: null,
    fixedDiscovery: GOOGLE_DISCOVERY,
    discoveryFrom: () => GOOGLE_DISCOVERY,
    valueFrom: () => '',
  },
  entra: {
    id: 'entra',
    name: 'Microsoft Entra ID',
    connectionType: 'GenericOIDC',
    summary: 'Formerly Azure Active Directory: your Microsoft 365 accounts.',
    steps: [
      'In the Microsoft Entra admin center (entra.microsoft.com), open Applications → App registrations → New registration.',
      'Under Redirect URI, choose the platform "Web" and enter the Redirect URI shown above, exactly. Register.',
      'On the app\'s Overview, copy the Application (client) ID and the Directory (tenant) ID.',
      'Under Certificates & secrets, create a New client secret and copy its Value (shown once).',
    ],
    discoveryField: { name: 'tenant', label: 'Directory (tenant) ID', hint: 'On the app registration\'s Overview page, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47.', placeholder: '00000000-0000-0000-0000-000000000000' },
    discoveryFrom: (tenant) => (/^[A-Za-z0-9.-]{1,100}$/.test(tenant.trim()) ? `https://login.microsoftonline.com/${tenant.trim()}/v2.0${WELL_KNOWN}` : null),
    valueFrom: (endpoint) => /^https:\/\/login\.microsoftonline\.com\/([^/]+)\/v2\.0\//.exec(endpoint ?? '')?.[1] ?? '',
  },
  okta: {
    id: 'okta',
    name: 'Okta',
    connectionType: 'GenericOIDC',
    summary: 'Your Okta organization.',
    steps: [
      'In the Okta Admin Console, open Applications → Applications → Create App Integration.',
      'Choose "OIDC - OpenID Connect" and "Web Application".',
      'Under Sign-in redirect URIs, enter the Redirect URI shown above, exactly; assign the people who may sign in. Save.',
      'Copy the Client ID and Client secret from the app\'s General tab, and your Okta domain (e.g. yourcompany.okta.com).',
    ],
    discoveryField: { name: 'domain', label: 'Okta domain', hint: 'The address of your Okta organization, e.g. yourcompany.okta.com.', placeholder: 'yourcompany.okta.com' },
    discoveryFrom(domain) {
      const host = domain.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
      return /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/.test(host) ? `https://${host}${WELL_KNOWN}` : null;
    },
    valueFrom: (endpoint) => /^https:\/\/([^/]+)\/\.well-known\/openid-configuration$/.exec(endpoint ?? '')?.[1] ?? '',
  },
  oidc: {
    id: 'oidc',
    name: 'OpenID Connect',
    connectionType: 'GenericOIDC',
    summary: 'Any other identity provider that speaks OpenID Connect (Keycloak, Auth0, PingOne, OneLogin, …).',
    steps: [
      'In your identity provider, create an OpenID Connect application (a confidential "web" client using the authorization code flow).',
      'Register the Redirect URI shown above as its redirect (callback) URI, exactly.',
      'Copy its Client ID, Client secret and discovery endpoint (the address ending in /.well-known/openid-configuration).',
    ],
    discoveryField: { name: 'discovery_endpoint', label: 'Discovery endpoint', hint: 'The address ending in /.well-known/openid-configuration.', placeholder: 'https://idp.example.com/.well-known/openid-configuration' },
    discoveryFrom: (url) => (url.trim() === '' ? null : url.trim()),
    valueFrom: (endpoint) => endpoint ?? '',
  },
};

export const providerOrder: ProviderId[] = ['clever', 'google', 'entra', 'okta', 'oidc'];

export function isProviderId(value: string): value is ProviderId {
  return (providerOrder as string[]).includes(value);
}
