import type { FastifyInstance } from 'fastify';

/**
 * Headers for every answer: no sniffing, and for pages no framing, no
 * scripts and no caching (they carry CSRF tokens and personal data).
 * `form-action` is deliberately absent: browsers apply it to the redirect
 * that follows a form post, which here leads to the app.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      reply
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store');
    }
    return payload;
  });
}
