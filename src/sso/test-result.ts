/**
 * What a test sign-in (the dashboard's Test SSO, a setup link's Test
 * sign-in) found, in the words an admin needs: the profile the app would
 * receive, or the step that failed, the identity provider's own error, and
 * what to do about it.
 */
import type { LoginAttempt, Profile } from '../store/types.ts';

export type TestResult =
  | { ok: true; profile: Profile; attemptId: string }
  | { ok: false; attemptId: string; step: string; errorCode: string; description: string; upstreamError: string | null; advice: string }
  | { ok: false; attemptId: string; alreadyShown: true };

/** The failing step's name and what to do, from the attempt Hallpass recorded. */
export function explainFailure(attempt: LoginAttempt): Extract<TestResult, { step: string }> {
  const code = attempt.errorCode ?? 'unknown';
  const description = attempt.errorDescription ?? 'The sign-in did not finish.';
  const base = { ok: false as const, attemptId: attempt.id, errorCode: code, description, upstreamError: attempt.upstreamError };
  switch (attempt.step) {
    case 'authorize':
    case 'upstream_redirect':
      return { ...base, step: 'Authorization request', advice: code.startsWith('upstream_')
        ? 'Hallpass could not use the Discovery endpoint. Open it in a browser: it must return JSON metadata. Check for typos and that the identity provider is reachable from this server.'
        : 'The sign-in could not start. Check that the connection is active and its Settings are complete.' };
    case 'callback':
      if (code === 'access_denied' && !attempt.upstreamError) {
        return { ...base, step: 'Callback', advice: 'The sign-in came back to another browser, or took too long. Run Test SSO again in this browser.' };
      }
      return { ...base, step: 'Authorization request (answered by the identity provider)', advice: code === 'access_denied'
        ? 'The identity provider refused the person. Check that they are assigned to the application at the identity provider.'
        : 'The identity provider refused the authorization request. Check the Client ID, and that the Redirect URI shown on this page is registered at the identity provider exactly as shown.' };
    case 'token_exchange':
      return { ...base, step: 'Token exchange', advice: 'The identity provider did not accept the code. Check the Client secret (enter it again if in doubt), and that the Redirect URI registered at the identity provider is exactly the one on this page.' };
    case 'id_token':
      return { ...base, step: `ID token check${idTokenCheck(description)}`, advice: 'The identity provider sent an ID token Hallpass cannot trust. Check that the Discovery endpoint belongs to the identity provider that issued the Client ID (the right tenant or realm), and that its signing keys are published. The description names the failed check.' };
    case 'userinfo':
      return { ...base, step: 'Userinfo / Clever Data API', advice: 'Hallpass could not read who signed in. Check that the application at the identity provider may read the user’s profile (for Clever: that the district shared the user with the app).' };
    case 'profile':
      return { ...base, step: 'Reading the profile', advice: 'The identity provider’s answer lacked what a profile needs. Check the claims the application sends (sub, email, given_name, family_name).' };
    case 'organization':
      return code === 'organization_invalid' || /district/i.test(description)
        ? { ...base, step: 'District routing', advice: 'The person belongs to a Clever district this connection does not serve. Check the District ID under Settings, or sign in with a user of this district; a district of its own needs its own organization.' }
        : { ...base, step: 'Domain policy', advice: 'The person’s email is not on one of the organization’s domains. Add the domain to the organization, or allow profiles outside organization.' };
    default:
      return { ...base, step: attempt.step, advice: 'See the description above.' };
  }
}

/** Which check of the ID token failed, as openid-client names it in the description. */
function idTokenCheck(description: string): string {
  const claim = /"(iss|aud|exp|iat|nonce|azp|sub|nbf)"/.exec(description)?.[1];
  if (claim) return `: the "${claim}" claim`;
  if (/signature/i.test(description)) return ': the signature';
  if (/JWKS|key/i.test(description)) return ': the signing key';
  return '';
}
