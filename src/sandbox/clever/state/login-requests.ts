/**
 * What a browser is trying to reach while it signs in: an app through
 * "Log in with Clever" or an Instant Login link, or the district portal.
 * The request's id travels through the login pages as `target`, so several
 * tabs can sign in toward different apps at once.
 */
import { ExpiringMap } from './expiring-map.ts';
import { randomToken } from './random-token.ts';

const loginRequestLifetimeMs = 30 * 60 * 1000;

export type LoginDestination =
  | { kind: 'authorize'; clientId: string; redirectUri: string; state: string | undefined; nonce: string | undefined }
  | { kind: 'instant-login'; clientId: string }
  | { kind: 'portal' };

export interface LoginRequest {
  destination: LoginDestination;
  /** The district the user must sign in to; unset for "Log in with Clever" without `district_id`. */
  districtId: string | undefined;
  /** Set once the request is stored (see `LoginRequests.target`). */
  id?: string;
}

export class LoginRequests {
  private readonly requests: ExpiringMap<LoginRequest>;

  /** At most `max` are kept; past that the oldest is forgotten, and its pages say to start again. */
  constructor(now: () => number, max: number) {
    this.requests = new ExpiringMap(now, loginRequestLifetimeMs, max);
  }

  /** How many are stored (for tests and the memory figures in docs/sandbox.md). */
  get size(): number {
    return this.requests.size;
  }

  /**
   * The request's `target`, storing the request the first time a login page
   * needs it. A live session that skips every page never stores one, so the
   * logins that Clever answers at once leave nothing behind.
   */
  target(request: LoginRequest): string {
    if (request.id === undefined) {
      request.id = randomToken(12);
      this.requests.set(request.id, request);
    }
    return request.id;
  }

  find(id: string | undefined): LoginRequest | undefined {
    return id ? this.requests.get(id) : undefined;
  }
}
