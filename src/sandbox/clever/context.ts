import type { Directory } from './directory.ts';
import type { SigningKeys } from './signing-keys.ts';
import type { BrowserSessions } from './state/browser-sessions.ts';
import type { Grants } from './state/grants.ts';
import type { LoginRequests } from './state/login-requests.ts';

/** Everything one sandbox instance's handlers share; nothing is shared between instances. */
export interface SandboxContext {
  /** The sandbox's public URL without a trailing slash: the `iss` of its ID tokens. */
  issuer: string;
  directory: Directory;
  keys: SigningKeys;
  sessions: BrowserSessions;
  loginRequests: LoginRequests;
  grants: Grants;
  /** Milliseconds since the epoch; injectable so tests can age codes and sessions. */
  now: () => number;
  /** Cookies get `Secure` when the public URL is https. */
  secureCookies: boolean;
}
