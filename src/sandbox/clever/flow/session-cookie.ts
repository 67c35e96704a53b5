/**
 * The browser side of Clever sessions: the cookie that names the session,
 * and the CSRF check every sandbox form goes through.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { SandboxError } from '../sandbox-error.ts';
import { csrfTokenMatches, sessionLifetimeMs, type BrowserSession } from '../state/browser-sessions.ts';

export const sessionCookieName = 'clever_sandbox_session';

export function currentSession(ctx: SandboxContext, request: FastifyRequest): BrowserSession | undefined {
  return ctx.sessions.find(request.cookies[sessionCookieName]);
}

export function setSessionCookie(ctx: SandboxContext, reply: FastifyReply, session: BrowserSession): void {
  reply.setCookie(sessionCookieName, session.id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secureCookies,
    maxAge: sessionLifetimeMs / 1000,
  });
}

export function clearSessionCookie(ctx: SandboxContext, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies });
}

/** The live session, or a new anonymous one (with its cookie set) to hold a form's CSRF token. */
export function ensureSession(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply): BrowserSession {
  const existing = currentSession(ctx, request);
  if (existing) return existing;
  const session = ctx.sessions.create();
  setSessionCookie(ctx, reply, session);
  return session;
}

/** The session a form was posted from, if the form carries that session's CSRF token. */
export function sessionForForm(ctx: SandboxContext, request: FastifyRequest, csrf: string | undefined): BrowserSession {
  const session = currentSession(ctx, request);
  if (!session || !csrfTokenMatches(session, csrf)) {
    throw new SandboxError(403, 'invalid_csrf', 'This form has expired or did not come from this page. Go back, reload it and try again.');
  }
  return session;
}
