/**
 * Binds a login's `state` to the browser that started it: a random value in an
 * HttpOnly cookie, whose hash is stored with the state. A callback carrying a
 * valid state from another browser (login CSRF, a leaked URL) is refused.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { hashSecret } from '../secrets.ts';

export const BINDING_COOKIE = 'hallpass_login';
const BINDING_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Long enough for a person to finish signing in at their IdP. */
export const LOGIN_LIFETIME_MS = 15 * 60 * 1000;

/** Returns the hash to store with the state, setting the cookie when the browser has none yet. */
export function bindBrowser(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  let value = request.cookies[BINDING_COOKIE];
  if (!value || !BINDING_PATTERN.test(value)) {
    value = randomBytes(32).toString('base64url');
    reply.setCookie(BINDING_COOKIE, value, {
      path: '/',
      httpOnly: true,
      // Lax: the IdP's redirect back is a top-level GET navigation, which carries Lax cookies.
      sameSite: 'lax',
      secure,
      maxAge: LOGIN_LIFETIME_MS / 1000,
    });
  }
  return hashSecret(value);
}

/** The hash of the browser's binding cookie, or undefined when it has none. */
export function browserBindingHash(request: FastifyRequest): string | undefined {
  const value = request.cookies[BINDING_COOKIE];
  return value && BINDING_PATTERN.test(value) ? hashSecret(value) : undefined;
}
