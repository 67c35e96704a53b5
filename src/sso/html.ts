/** Minimal server-rendered HTML for the broker's own pages (error page, Test SSO). */
import type { FastifyReply } from 'fastify';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => entities[c]!);
}

/** A complete UTF-8 page with Hallpass's small stylesheet. `body` must already be escaped. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Hallpass</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; color: #1f2933; }
h1 { font-size: 1.5rem; }
.box { border: 1px solid #d9e2ec; border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
.error { border-color: #e12d39; background: #fff5f5; }
.ok { border-color: #2f8132; background: #f3fbf3; }
code, pre { font: 14px ui-monospace, monospace; background: #f0f4f8; border-radius: 4px; }
pre { padding: .75rem; overflow-x: auto; }
table { border-collapse: collapse; } td, th { text-align: left; padding: .25rem .75rem .25rem 0; vertical-align: top; }
button { font: inherit; padding: .35rem .9rem; }
.muted { color: #627d98; font-size: .9rem; }
</style>
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
