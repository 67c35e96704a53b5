/**
 * Authorization codes and access tokens. Codes live one minute and are
 * redeemed once; access tokens live 24 hours and cannot be refreshed.
 */
import { ExpiringMap } from './expiring-map.ts';
import { randomToken } from './random-token.ts';
import type { UserType } from '../seed/seed-schema.ts';

const codeLifetimeMs = 60 * 1000;
const accessTokenLifetimeMs = 24 * 60 * 60 * 1000;

/** Who signed in, as which role, for which app: what a code and its access token stand for. */
export interface Grant {
  clientId: string;
  userId: string;
  userType: UserType;
  districtId: string;
  scope: string;
}

export interface AuthorizationCode {
  /** What the code's access token will stand for. */
  grant: Grant;
  /** The URI the code was sent to; the token request must repeat it. */
  redirectUri: string;
  nonce: string | undefined;
}

export class Grants {
  private readonly codes: ExpiringMap<AuthorizationCode>;
  private readonly accessTokens: ExpiringMap<Grant>;

  constructor(now: () => number) {
    this.codes = new ExpiringMap(now, codeLifetimeMs);
    this.accessTokens = new ExpiringMap(now, accessTokenLifetimeMs);
  }

  issueCode(code: AuthorizationCode): string {
    const value = randomToken(16);
    this.codes.set(value, code);
    return value;
  }

  /** The code's grant if it is live and unused; either way the code is spent. */
  redeemCode(value: string): AuthorizationCode | undefined {
    return this.codes.take(value);
  }

  issueAccessToken(grant: Grant): string {
    const value = randomToken(20);
    this.accessTokens.set(value, grant);
    return value;
  }

  findAccessToken(value: string): Grant | undefined {
    return this.accessTokens.get(value);
  }
}
