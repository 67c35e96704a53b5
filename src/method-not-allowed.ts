/**
 * 405 for a known path asked with a method it does not serve (with `Allow`),
 * 404 for a path nothing serves. Fastify's router only knows "no route", so
 * every route is recorded as it is added, and a request the router could not
 * place is matched against the recorded paths.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiErrorBody, HallpassError, oauthErrorBody } from './errors.ts';
import { sendErrorPage } from './sso/error-page.tsx';

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/** `/connections/:id` → /^\/connections\/[^/]+$/ (routes use plain `:param` segments only). */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * Records every route of `app` (call before registering routes) and returns
 * the not-found handler that tells a wrong method from an unknown path.
 */
export function trackRoutes(app: FastifyInstance): (request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  const known = new Map<string, KnownPath>();
  app.addHook('onRoute', (route) => {
    const entry = known.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set<string>() };
    for (const method of [route.method].flat()) entry.methods.add(method);
    known.set(route.url, entry);
  });

  return function answerNoRoute(request, reply) {
    const path = request.url.split('?')[0]!;
    const allowed = new Set<string>();
    for (const { pattern, methods } of known.values()) if (pattern.test(path)) for (const m of methods) allowed.add(m);
    if (allowed.size === 0) {
      return reply.status(404).send({ code: 'entity_not_found', message: `No route for ${request.method} ${path}` });
    }
    const allow = [...allowed].sort().join(', ');
    reply.header('allow', allow);
    const error = new HallpassError('method_not_allowed', `${request.method} is not allowed on ${path}; use ${allow}.`);
    return sendInAreaFormat(request, reply, path, error);
  };
}

/** Paths people visit in a browser: their errors are pages. Add an area's prefix here when it serves pages. */
const PAGE_AREAS = ['/sso/authorize', '/sso/clever/', '/sso/oidc/', '/test-sso', '/dashboard', '/setup'];

/** Each area's own error format: OAuth at the token endpoint, a page for what browsers visit, JSON for the APIs and probes. */
function sendInAreaFormat(_request: FastifyRequest, reply: FastifyReply, path: string, error: HallpassError): FastifyReply {
  if (path === '/sso/token') return reply.status(error.status).send(oauthErrorBody(error));
  if (PAGE_AREAS.some((prefix) => path.startsWith(prefix))) return sendErrorPage(reply, error);
  return reply.status(error.status).send(apiErrorBody(error));
}
