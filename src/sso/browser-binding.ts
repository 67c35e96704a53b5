/**
 * Binds a login's `state` to the browser that started it: a random value in an
 * HttpOnly cookie, whose hash is stored with the state. A callback carrying a
 * valid state from another browser (login CSRF, a leaked URL) is refused.
 *
 * Over https the cookie is `__Host-` prefixed, so a sibling subdomain cannot
 * plant a value of its choosing. It is set again at every login start, so it
 * always outlives the newest login in flight.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { hashSecret } from '../secrets.ts';

/** The cookie's name over plain http (development); over https it is `__Host-` + this. */
export const BINDING_COOKIE = 'hallpass_login';
const BINDING_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Long enough for a person to finish signing in at their IdP. */
export const LOGIN_LIFETIME_MS = 15 * 60 * 1000;

const cookieName = (secure: boolean) => (secure ? `__Host-${BINDING_COOKIE}` : BINDING_COOKIE);

/** Returns the hash to store with the state; keeps the browser's value if it has one, and renews the cookie. */
export function bindBrowser(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const name = cookieName(secure);
  let value = request.cookies[name];
  // One value per browser, so logins in two tabs do not undo each other.
  if (!value || !BINDING_PATTERN.test(value)) value = randomBytes(32).toString('base64url');
  reply.setCookie(name, value, {
    path: '/',
    httpOnly: true,
    // Lax: the IdP's redirect back is a top-level GET navigation, which carries Lax cookies.
    sameSite: 'lax',
    secure,
    maxAge: LOGIN_LIFETIME_MS / 1000,
  });
  return hashSecret(value);
}

/** The hash of the browser's binding cookie, or undefined when it has none. */
export function browserBindingHash(request: FastifyRequest, secure: boolean): string | undefined {
  const value = request.cookies[cookieName(secure)];
  return value && BINDING_PATTERN.test(value) ? hashSecret(value) : undefined;
}
