/**
 * The admin dashboard: one Fastify plugin, registered under `/dashboard`.
 *
 * - Every POST carries a CSRF token (@fastify/csrf-protection; its secret in
 *   an HttpOnly cookie, `__Host-` prefixed over https).
 * - Sign-in pages are open; every feature below is behind `requireAdmin`,
 *   which sends a browser without a live session to sign-in.
 * - The management API's Bearer keys mean nothing here, and the session
 *   cookie means nothing to the API: each area authenticates its own way.
 *
 * A feature is a folder `src/dashboard/<feature>/` whose `routes.tsx`
 * exports a plugin; add it to `features` to serve it.
 */
import { HallpassError } from '../errors.ts';
import csrfProtection from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AreaOptions } from '../context.ts';
import adminRoutes from './admins/routes.tsx';
import auditLogRoutes from './audit-log/routes.tsx';
import cleverRoutes from './clever/routes.tsx';
import connectionRoutes from './connections/routes.tsx';
import { sendDashboardError, sendDashboardNotFound } from './error-page.tsx';
import organizationRoutes from './organizations/routes.tsx';
import { DASHBOARD, paths } from './paths.ts';
import { currentSession, isSecure, requireAdmin } from './session.ts';
import signInRoutes from './sign-in/routes.tsx';
import signInSessionRoutes from './sign-in-sessions/routes.tsx';
import settingsRoutes from './settings/routes.tsx';
import setupLinkRoutes from './setup-links/routes.tsx';

/** The signed-in features, each registering its own routes. */
const features: Array<FastifyPluginAsync<AreaOptions>> = [
  organizationRoutes,
  connectionRoutes,
  adminRoutes,
  signInSessionRoutes,
  cleverRoutes,
  settingsRoutes,
  auditLogRoutes,
  setupLinkRoutes,
];

const CSRF_COOKIE = 'hallpass_csrf';

async function dashboard(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const secure = isSecure(ctx);
  await app.register(csrfProtection, {
    cookieKey: secure ? `__Host-${CSRF_COOKIE}` : CSRF_COOKIE,
    // These replace the plugin's defaults, so they restate them (path, HttpOnly) and add ours.
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure },
  });
  app.setErrorHandler((err, request, reply) => sendDashboardError(request, reply, err));
  // An unknown address says so only to someone signed in; others are sent to sign-in like for any page.
  app.setNotFoundHandler(async (request, reply) => {
    const live = await currentSession(ctx, request);
    if (!live) return reply.redirect(paths.signIn(), 303);
    request.admin = live.admin;
    return sendDashboardNotFound(request, reply);
  });
  // After the body is parsed (the token is a form field), before any handler.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    app.csrfProtection(request, reply, done);
  });

  await app.register(signInRoutes, { ctx });
  await app.register(async function signedIn(area) {
    area.addHook('onRequest', requireAdmin(ctx));
    area.get('/', async (_request, reply) => reply.redirect(paths.organizations(), 303));
    for (const feature of features) await area.register(feature, { ctx });
  });
}

/** Registers the dashboard under its prefix. */
export default async function dashboardArea(app: FastifyInstance, options: AreaOptions): Promise<void> {
  await app.register(dashboard, { ...options, prefix: DASHBOARD });
}

/**
 * `GET /`: a browser (asking for HTML) goes to the dashboard; API clients keep
 * the JSON 404 every unknown route gets.
 */
export async function rootRedirect(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  // An API client asking for / gets the API's 404 (not a 405: the path is known, but not as an API route).
  if (!(request.headers.accept ?? '').includes('text/html')) throw new HallpassError('entity_not_found', 'No such route: GET /. Browsers are sent to the dashboard.');
  return reply.redirect(paths.home, 302);
}
