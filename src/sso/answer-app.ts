import { HallpassError, oauthErrorBody } from '../errors.ts';

/** The app's redirect URI with a Hallpass code (step 5 of a login). */
export function appRedirectWithCode(redirectUri: string, code: string, state: string | null): string {
  const url = new URL(redirectUri);
  url.searchParams.set('code', code);
  if (state !== null) url.searchParams.set('state', state);
  return url.href;
}

/** The app's redirect URI with an OAuth error, as WorkOS sends them (`error`, `error_description`, `state`). */
export function appRedirectWithError(redirectUri: string, err: HallpassError, state: string | null): string {
  const url = new URL(redirectUri);
  const body = oauthErrorBody(err);
  url.searchParams.set('error', body.error);
  url.searchParams.set('error_description', body.error_description);
  if (state !== null) url.searchParams.set('state', state);
  return url.href;
}

/** What the app sees: WorkOS's codes, where every failure at or from the IdP is `oauth_failed`. */
export function forApp(err: HallpassError): HallpassError {
  return err.code.startsWith('upstream_') ? new HallpassError('oauth_failed', err.message, { cause: err }) : err;
}
