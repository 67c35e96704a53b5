/**
 * Dashboard sessions: a random value in an HttpOnly, SameSite=Lax cookie
 * (`__Host-` prefixed and Secure over https, as the login binding cookie is),
 * whose SHA-256 is the session's key in the database, so sessions work
 * across instances and sign-out ends them on the server.
 *
 * A session ends after an idle period or an absolute lifetime, whichever
 * comes first (HALLPASS_ADMIN_SESSION_*). Sign-in always starts a new session
 * (new ID) and deletes the one the browser had.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from '../context.ts';
import { hashSecret } from '../secrets.ts';
import type { Admin, AdminSession } from '../store/types.ts';
import { paths } from './paths.ts';

const SESSION_COOKIE = 'hallpass_admin';
const SESSION_PATTERN = /^[A-Za-z0-9_-]{43}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in admin, set by `requireAdmin` on every signed-in dashboard route. */
    admin?: Admin;
    adminSession?: AdminSession;
  }
}

export const isSecure = (ctx: HallpassContext) => ctx.config.publicUrl.startsWith('https://');
export const sessionCookieName = (secure: boolean) => (secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE);

function cookieValue(ctx: HallpassContext, request: FastifyRequest): string | undefined {
  const value = request.cookies[sessionCookieName(isSecure(ctx))];
  return value && SESSION_PATTERN.test(value) ? value : undefined;
}

/** Starts a new session for `admin` and sets its cookie; any session the browser had is deleted first. */
export async function startSession(ctx: HallpassContext, request: FastifyRequest, reply: FastifyReply, admin: Admin): Promise<void> {
  await endSession(ctx, request, reply);
  const value = randomBytes(32).toString('base64url');
  const now = new Date(ctx.now());
  await ctx.store.adminSessions.create({
    idHash: hashSecret(value),
    adminId: admin.id,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + ctx.config.admin.sessionMaxMs),
  });
  await ctx.store.admins.recordSignIn(admin.id, now);
  const secure = isSecure(ctx);
  reply.setCookie(sessionCookieName(secure), value, {
    path: '/',
    httpOnly: true,
    // Lax: links into the dashboard from elsewhere open it signed in; cross-site POSTs carry no session.
    sameSite: 'lax',
    secure,
    maxAge: Math.floor(ctx.config.admin.sessionMaxMs / 1000),
  });
}

/** Deletes the browser's session on the server and clears its cookie. */
export async function endSession(ctx: HallpassContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const value = cookieValue(ctx, request);
  if (value) await ctx.store.adminSessions.destroy(hashSecret(value));
  const secure = isSecure(ctx);
  if (request.cookies[sessionCookieName(secure)] !== undefined) reply.clearCookie(sessionCookieName(secure), { path: '/', secure, httpOnly: true, sameSite: 'lax' });
}

/** The live session the request carries, if any. */
export async function currentSession(ctx: HallpassContext, request: FastifyRequest): Promise<{ session: AdminSession; admin: Admin } | undefined> {
  const value = cookieValue(ctx, request);
  if (!value) return undefined;
  const now = new Date(ctx.now());
  return ctx.store.adminSessions.findLive(hashSecret(value), now, new Date(now.getTime() - ctx.config.admin.sessionIdleMs));
}

/**
 * An `onRequest` hook for signed-in routes: without a live session a page
 * request is sent to sign-in (and back afterwards), anything else gets 401.
 */
export function requireAdmin(ctx: HallpassContext) {
  return async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const live = await currentSession(ctx, request);
    if (live) {
      request.admin = live.admin;
      request.adminSession = live.session;
      return;
    }
    reply.header('cache-control', 'no-store');
    const next = request.method === 'GET' ? request.url : undefined;
    return reply.redirect(paths.signIn(next), 303);
  };
}

/** The signed-in admin of a route behind `requireAdmin`. */
export function signedInAdmin(request: FastifyRequest): Admin {
  if (!request.admin) throw new Error('requireAdmin did not run for this route');
  return request.admin;
}

/** Where to go after sign-in: a dashboard path only, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith(`${paths.home}/`) && !next.startsWith('//') && !/[\\\s]/.test(next) ? next : paths.home;
}
