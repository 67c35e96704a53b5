/**
 * Decides a login request's next step from the browser's session: sign in
 * (school picker or district login page), pick a role, then go where the
 * request was headed. Every login page comes back here once its step is done,
 * which is also how a live session skips the steps it no longer needs.
 */
import type { FastifyReply } from 'fastify';
import type { SandboxContext } from '../context.ts';
import type { BrowserSession } from '../state/browser-sessions.ts';
import type { LoginRequest } from '../state/login-requests.ts';
import { launchApp } from './launch-app.ts';

export function continueLogin(
  ctx: SandboxContext,
  reply: FastifyReply,
  request: LoginRequest,
  session: BrowserSession | undefined,
): FastifyReply {
  const signedIn = session?.signedIn;
  // A session in another district does not count: the user signs in to the requested one.
  if (!signedIn || (request.districtId && signedIn.districtId !== request.districtId)) {
    const target = ctx.loginRequests.target(request);
    return reply.redirect(
      request.districtId
        ? `/oauth/district-login?${new URLSearchParams({ target, district_id: request.districtId })}`
        : `/oauth/school-picker?${new URLSearchParams({ target })}`,
    );
  }
  if (!signedIn.activeRole) {
    return reply.redirect(`/oauth/select-role?${new URLSearchParams({ target: ctx.loginRequests.target(request) })}`);
  }

  const { destination } = request;
  switch (destination.kind) {
    case 'portal': {
      const district = ctx.directory.district(signedIn.districtId)!;
      return reply.redirect(`/in/${district.slug}`);
    }
    case 'authorize': {
      const app = ctx.directory.app(destination.clientId)!;
      const { redirectUri, state, nonce } = destination;
      return reply.redirect(launchApp(ctx, { app, signedIn, redirectUri, state, nonce }));
    }
    case 'instant-login': {
      const app = ctx.directory.app(destination.clientId)!;
      const redirectUri = app.redirect_uris[0]!;
      return reply.redirect(launchApp(ctx, { app, signedIn, redirectUri, state: undefined, nonce: undefined }));
    }
  }
}
