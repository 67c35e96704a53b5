/** Minimal server-rendered HTML for the broker's own pages (error page, Test SSO). */
import type { FastifyReply } from 'fastify';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => entities[c]!);
}

/** A complete UTF-8 page with Hallpass's stylesheet (served, not inline: the CSP allows no inline style). `body` must already be escaped. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Hallpass</title>
<link rel="stylesheet" href="/assets/hallpass.css">
</head>
<body>
${body}
</body>
</html>`;
}

/** Sends a page, never cached: these pages show sign-in results. */
export function sendPage(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(page(title, body));
}
