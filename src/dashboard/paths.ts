/**
 * Every dashboard URL, in one place, so pages link to routes by name and a
 * route can move without hunting for strings.
 */
export const DASHBOARD = '/dashboard';

const q = (params: Record<string, string | number | undefined | null>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export const paths = {
  home: DASHBOARD,
  signIn: (next?: string) => `${DASHBOARD}/sign-in${q({ next })}`,
  signOut: `${DASHBOARD}/sign-out`,
  invite: (token: string) => `${DASHBOARD}/invite/${encodeURIComponent(token)}`,

  organizations: (params: { search?: string; after?: string; before?: string } = {}) => `${DASHBOARD}/organizations${q(params)}`,
  newOrganization: `${DASHBOARD}/organizations/new`,
  organization: (id: string) => `${DASHBOARD}/organizations/${encodeURIComponent(id)}`,
  editOrganization: (id: string) => `${DASHBOARD}/organizations/${encodeURIComponent(id)}/edit`,
  deleteOrganization: (id: string) => `${DASHBOARD}/organizations/${encodeURIComponent(id)}/delete`,
  newConnection: (organizationId: string) => `${DASHBOARD}/organizations/${encodeURIComponent(organizationId)}/connections/new`,

  connection: (id: string) => `${DASHBOARD}/connections/${encodeURIComponent(id)}`,
  connectionSettings: (id: string) => `${DASHBOARD}/connections/${encodeURIComponent(id)}/settings`,
  connectionRoles: (id: string) => `${DASHBOARD}/connections/${encodeURIComponent(id)}/roles`,
  connectionState: (id: string) => `${DASHBOARD}/connections/${encodeURIComponent(id)}/state`,
  deleteConnection: (id: string) => `${DASHBOARD}/connections/${encodeURIComponent(id)}/delete`,
  testConnection: (id: string) => `${DASHBOARD}/connections/${encodeURIComponent(id)}/test`,
  /** Where Test SSO logins come back (the "app" redirect URI of a test login). */
  testSsoResult: `${DASHBOARD}/test-sso/result`,

  // Built by dashboard-b; the navigation links to them.
  signInSessions: `${DASHBOARD}/sign-in-sessions`,
  signInSession: (id: string) => `${DASHBOARD}/sign-in-sessions/${encodeURIComponent(id)}`,
  clever: `${DASHBOARD}/clever`,
  cleverServeDistrict: `${DASHBOARD}/clever/serve-district`,
  settings: `${DASHBOARD}/settings`,
  createApiKey: `${DASHBOARD}/settings/api-keys`,
  revokeApiKey: (id: string) => `${DASHBOARD}/settings/api-keys/${encodeURIComponent(id)}/revoke`,
  addRedirectUri: `${DASHBOARD}/settings/redirect-uris`,
  removeRedirectUri: `${DASHBOARD}/settings/redirect-uris/remove`,
  defaultRedirectUri: `${DASHBOARD}/settings/redirect-uris/default`,
  defaultRole: `${DASHBOARD}/settings/default-role`,
  vendorName: `${DASHBOARD}/settings/vendor-name`,
  auditLog: `${DASHBOARD}/audit-log`,

  admins: `${DASHBOARD}/settings/admins`,
  removeAdmin: (id: string) => `${DASHBOARD}/settings/admins/${encodeURIComponent(id)}/remove`,
  inviteAdmin: `${DASHBOARD}/settings/admins/invite`,
} as const;
