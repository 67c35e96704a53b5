import type { Directory } from './directory.ts';
import type { DataApiRateLimit } from './flow/data-api-rate-limit.ts';
import type { ClaimRewrites, ClaimShape, SandboxSettings } from './settings.ts';
import type { SigningKeys } from './signing-keys.ts';
import type { BrowserSessions } from './state/browser-sessions.ts';
import type { Grants } from './state/grants.ts';
import type { LoginRequests } from './state/login-requests.ts';

/** Everything one sandbox instance's handlers share; nothing is shared between instances. */
export interface SandboxContext {
  /** The sandbox's public URL without a trailing slash: the `iss` of its ID tokens. */
  issuer: string;
  /** The shape of ID tokens and `/userinfo` answers. */
  claims: ClaimShape;
  /** Test-only rewrites of the claims (none by default). */
  rewriteClaims: ClaimRewrites;
  settings: SandboxSettings;
  directory: Directory;
  keys: SigningKeys;
  sessions: BrowserSessions;
  loginRequests: LoginRequests;
  grants: Grants;
  /** Counts bearer-token requests to `/userinfo` and the Data API, as Clever does. */
  rateLimit: DataApiRateLimit;
  /** Milliseconds since the epoch; injectable so tests can age codes, sessions and rate-limit windows. */
  now: () => number;
  /** Cookies get `Secure` when the public URL is https. */
  secureCookies: boolean;
}
