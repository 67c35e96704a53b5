import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { clearSessionCookie, sessionCookieName } from '../flow/session-cookie.ts';
import { loggedOutPage } from '../pages/logged-out-page.ts';
import { sendPage } from '../pages/send-page.ts';

/** `GET /logout`: ends the Clever session, so the next login asks for credentials again. */
export function logoutRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/logout', async (request, reply) => {
    const id = request.cookies[sessionCookieName];
    if (id) ctx.sessions.end(id);
    clearSessionCookie(ctx, reply);
    return sendPage(reply, loggedOutPage());
  });
}
