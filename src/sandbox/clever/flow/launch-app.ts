/**
 * The last step of every login: check the district authorized the app and
 * the app supports the user's type, issue a one-minute code and build the
 * redirect back to the app.
 */
import type { SandboxContext } from '../context.ts';
import { roleOfType, userTypeLabels } from '../directory.ts';
import { SandboxError } from '../sandbox-error.ts';
import type { SeedApp } from '../seed/seed-schema.ts';
import type { SignedInUser } from '../state/browser-sessions.ts';

export interface AppLaunch {
  app: SeedApp;
  signedIn: SignedInUser;
  redirectUri: string;
  /** Only "Log in with Clever" carries a state and nonce; Portal and Instant Login never do. */
  state: string | undefined;
  nonce: string | undefined;
}

export function launchApp(ctx: SandboxContext, { app, signedIn, redirectUri, state, nonce }: AppLaunch): string {
  const district = ctx.directory.district(signedIn.districtId)!;
  const user = ctx.directory.user(signedIn.userId)!;
  if (!app.districts.includes(district.id)) {
    throw new SandboxError(
      403,
      'access_denied',
      `${district.name} has not authorized ${app.name}. Ask your district's Clever administrator to add it.`,
    );
  }
  const role = signedIn.activeRole ? roleOfType(user, signedIn.activeRole) : undefined;
  if (!role) throw new SandboxError(403, 'access_denied', 'Choose a role before opening an app.');
  if (!app.user_types.includes(role.type)) {
    throw new SandboxError(
      403,
      'access_denied',
      `${app.name} does not support logins by ${userTypeLabels[role.type].toLowerCase()}s. Contact ${app.name} if you think this is a mistake.`,
    );
  }
  const code = ctx.grants.issueCode({
    grant: { clientId: app.client_id, userId: user.id, userType: role.type, districtId: district.id, scope: app.scope },
    redirectUri,
    nonce,
  });
  const location = new URL(redirectUri);
  location.searchParams.set('code', code);
  location.searchParams.set('scope', app.scope);
  if (state !== undefined) location.searchParams.set('state', state);
  return location.href;
}
