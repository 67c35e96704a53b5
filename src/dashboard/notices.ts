/**
 * Messages shown after a change, named in the redirect (`?notice=created`),
 * so a page reload after a POST never repeats the change, and nothing the
 * URL says is echoed: only these fixed texts exist.
 */
export const notices = {
  'organization-created': 'Organization created.',
  'organization-updated': 'Changes saved.',
  'organization-deleted': 'Organization deleted, with its connections.',
  'connection-created': 'Connection created. Copy the Redirect URI into the identity provider, then fill in the Settings.',
  'connection-saved': 'Connection updated.',
  'connection-saved-draft': 'Settings saved, but the connection is still a draft: see State below for why.',
  'connection-deleted': 'Connection deleted.',
  'connection-activated': 'Connection activated.',
  'connection-deactivated': 'Connection deactivated: sign-ins through it are refused until it is activated again.',
  'roles-saved': 'Role assignment saved.',
} as const;

export type NoticeName = keyof typeof notices;

/** The text for a `notice` query parameter, if it names one. */
export function noticeFrom(query: unknown): string | undefined {
  const name = (query as { notice?: unknown } | null)?.notice;
  return typeof name === 'string' && Object.hasOwn(notices, name) ? notices[name as NoticeName] : undefined;
}

export const withNotice = (path: string, notice: NoticeName) => `${path}${path.includes('?') ? '&' : '?'}notice=${notice}`;
