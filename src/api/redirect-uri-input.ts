/**
 * The one rule for an app redirect URI, shared by the API, the dashboard and
 * the CLI: absolute http(s), no fragment; https only in production (localhost
 * excepted). Exact-match comparison happens at `/sso/authorize`.
 */

/** Why `uri` cannot be a redirect URI, in words for a person; undefined when it can. */
export function redirectUriProblem(uri: string, production: boolean): string | undefined {
  if (uri.length > 2048) return 'A redirect URI must be at most 2048 characters.';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `"${uri}" is not an absolute URL.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'A redirect URI must use http or https.';
  if (url.hash || uri.includes('#')) return 'A redirect URI must not contain a fragment (#…).';
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (production && url.protocol !== 'https:' && !local) return 'In production a redirect URI must use https.';
  return undefined;
}
