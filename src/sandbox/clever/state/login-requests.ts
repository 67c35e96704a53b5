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
  id: string;
  destination: LoginDestination;
  /** The district the user must sign in to; unset for "Log in with Clever" without `district_id`. */
  districtId: string | undefined;
}

export class LoginRequests {
  private readonly requests: ExpiringMap<LoginRequest>;

  constructor(now: () => number) {
    this.requests = new ExpiringMap(now);
  }

  create(destination: LoginDestination, districtId: string | undefined): LoginRequest {
    const request: LoginRequest = { id: randomToken(12), destination, districtId };
    this.requests.set(request.id, request, loginRequestLifetimeMs);
    return request;
  }

  find(id: string | undefined): LoginRequest | undefined {
    return id ? this.requests.get(id) : undefined;
  }
}
