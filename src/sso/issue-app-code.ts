import { randomBytes } from 'node:crypto';
import type { HallpassContext } from '../context.ts';
import { hashSecret } from '../secrets.ts';
import type { AuthorizationState, Profile } from '../store/types.ts';

/** Hallpass codes are single use and live ten minutes, as WorkOS's do. */
export const APP_CODE_LIFETIME_MS = 10 * 60 * 1000;

/** Stores a one-time code for the app (only its hash) and returns the code. */
export async function issueAppCode(ctx: HallpassContext, pending: AuthorizationState, clientId: string, profile: Profile): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  await ctx.store.codes.save({
    codeHash: hashSecret(code),
    clientId,
    redirectUri: pending.appRedirectUri,
    codeChallenge: pending.appCodeChallenge,
    profile,
    loginAttemptId: pending.loginAttemptId,
    expiresAt: new Date(ctx.now() + APP_CODE_LIFETIME_MS),
  });
  return code;
}
