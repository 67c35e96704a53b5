/**
 * Renders a page component to HTML on the server and sends it. Preact escapes
 * every text and attribute value, so data never becomes markup.
 */
import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Sends a complete page. Never cached: the pages show account data and one-time results. */
export function sendPage(reply: FastifyReply, status: number, page: VNode): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>\n${renderToString(page)}`);
}
