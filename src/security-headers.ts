/**
 * The headers every broker answer carries, in one place, so every page —
 * the error page, Test SSO, and whatever pages are added later — gets them
 * without asking.
 *
 * - `nosniff` on every answer: a JSON body is never run as a script or page.
 * - `Referrer-Policy: same-origin` on every answer, redirects included (a
 *   redirect's policy applies to the navigation it starts): broker URLs carry
 *   authorization codes and states in their query, so no other site — the
 *   app, the IdP — ever receives them as a Referer. Not `no-referrer`: that
 *   makes browsers send `Origin: null` on the broker's own form posts, which
 *   would blind origin checks against cross-site form posts.
 * - On HTML: a strict CSP (scripts and styles from the broker's own origin
 *   only, no inline script or style, no plugins, no framing), and
 *   X-Frame-Options for browsers without `frame-ancestors`. Pages default to
 *   `Cache-Control: no-store`: they show sign-in results and admin data.
 * - HSTS when the public URL is https.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HSTS = 'max-age=31536000; includeSubDomains';

/** An `onSend` hook setting the security headers above. */
export function securityHeaders(publicUrl: string) {
  const https = publicUrl.startsWith('https://');
  return function setSecurityHeaders(_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void): void {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (https) reply.header('strict-transport-security', HSTS);
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header('x-frame-options', 'DENY');
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  };
}
