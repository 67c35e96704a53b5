/**
 * Every failure leaves the sandbox as Clever would show it: JSON
 * `{"error": …}` on API endpoints, an HTML error page on browser pages.
 * Unknown paths get 404, known paths with the wrong method 405; only a bug
 * in the sandbox itself produces a 500, and never with its stack trace.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorPage } from './pages/error-page.ts';
import { sendPage } from './pages/send-page.ts';
import { isApiPath, isDataApiPath, SandboxError } from './sandbox-error.ts';

function toSandboxError(err: FastifyError | SandboxError): SandboxError {
  if (err instanceof SandboxError) return err;
  const status = err.statusCode ?? 500;
  if (status === 413) return new SandboxError(413, 'invalid_request', 'request body too large');
  if (status === 415) return new SandboxError(400, 'invalid_request', 'invalid content-type');
  // Fastify's own 4xx (malformed JSON or form bodies and the like) describe the client's mistake.
  if (status >= 400 && status < 500) return new SandboxError(400, 'invalid_request', err.message);
  return new SandboxError(500, 'server_error', 'An unexpected error occurred in the sandbox.');
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0]!;
}

function sendError(request: FastifyRequest, reply: FastifyReply, err: SandboxError): FastifyReply {
  reply.code(err.status).headers(err.headers);
  if (err.options.emptyBody) return reply.send();
  if (isApiPath(pathOf(request))) {
    return reply.send({ error: err.error, ...(err.description ? { error_description: err.description } : {}) });
  }
  return sendPage(reply, errorPage(err.status, err.description ?? err.error), err.status);
}

/**
 * Fastify's router rejects some URLs before any route or error handler runs
 * (a path segment over 100 characters, a malformed path); they get our
 * error format too. Such a segment names nothing, hence 404.
 */
export function handleFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const error =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new SandboxError(404, 'not_found', 'Nothing at this address.')
      : new SandboxError(400, 'invalid_request', 'malformed URL');
  sendError(request, reply, error);
}

// Clever retired Data API v1.1 and v1.2 in 2022; SSO tokens reach only these v3.0 endpoints.
const dataApiPathsServed = 'The sandbox serves the Data API v3.0 endpoints an SSO token reaches: /v3.0/me, /v3.0/users/{id} and /v3.0/districts/{id}.';

/** Route patterns as regular expressions, so the not-found handler can tell a wrong method from a wrong path. */
function routePattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

export function installErrorHandling(app: FastifyInstance): void {
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  app.addHook('onRoute', (route) => {
    const entry = routes.get(route.url) ?? { pattern: routePattern(route.url), methods: new Set<string>() };
    for (const method of [route.method].flat()) entry.methods.add(method);
    routes.set(route.url, entry);
  });

  app.setErrorHandler<FastifyError | SandboxError>((err, request, reply) => {
    const error = toSandboxError(err);
    if (error.status >= 500) request.log.error({ err }, 'sandbox error');
    return sendError(request, reply, error);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request);
    const allowed = [...routes.values()].filter((r) => r.pattern.test(path)).flatMap((r) => [...r.methods]);
    if (allowed.length) {
      const allow = [...new Set(allowed)].sort().join(', ');
      return sendError(request, reply, new SandboxError(405, 'method_not_allowed', `use ${allow}`, { allow }));
    }
    if (isDataApiPath(path)) {
      return sendError(request, reply, new SandboxError(404, 'not_found', `No Data API endpoint at ${path}. ${dataApiPathsServed}`));
    }
    return sendError(request, reply, new SandboxError(404, 'not_found', `Nothing at ${path}.`));
  });
}
