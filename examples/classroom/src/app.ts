/**
 * Classroom's web app: sign-in through Hallpass with the WorkOS SDK, the
 * pages, sessions. `buildClassroom` returns the Fastify app; `listen` is
 * separate (main.ts), so tests can run it on any port with their own clock.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import { OauthException, WorkOS } from '@workos-inc/node';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { cleverIdentityFrom } from './clever-identity.ts';
import type { ClassroomConfig } from './config.ts';
import type { Database } from './database.ts';
import { toDocument, type Html } from './html.ts';
import { homePage, loginPage, problemPage, signedOutPage, signInErrorPage, welcomePage, type SignedIn, type SignInFailure } from './pages.ts';
import { endSession, startSession, touchSession } from './sessions.ts';
import { findUser, rememberDistrict, setPreferredName, signInUser, type User } from './users.ts';

export interface ClassroomOptions {
  config: ClassroomConfig;
  db: Database;
  /** The clock (tests move it forward to check inactivity). */
  now?: () => number;
  logger?: FastifyServerOptions['logger'];
}

const SESSION_COOKIE = 'classroom_session';
const LOGIN_STATE_COOKIE = 'classroom_login_state';
const LOGIN_STATE_SECONDS = 10 * 60;
const stylesheet = readFileSync(new URL('./style.css', import.meta.url), 'utf8');

const securityHeaders = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  // The callback URL carries a one-time code: never leak it in a Referer.
  'referrer-policy': 'no-referrer',
};

declare module 'fastify' {
  interface FastifyRequest {
    classroomUser: User | null;
  }
}

export async function buildClassroom({ config, db, now = Date.now, logger = false }: ClassroomOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger, bodyLimit: 16 * 1024 });
  const idleMs = config.idleTimeoutMinutes * 60_000;
  const publicUrl = () => config.publicUrl ?? `http://localhost:${config.port}`;
  const secure = () => publicUrl().startsWith('https://');
  const cookieOptions = () => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secure() });
  const workos = new WorkOS(config.apiKey, {
    apiHostname: config.hallpassUrl.hostname,
    ...(config.hallpassUrl.port ? { port: Number(config.hallpassUrl.port) } : {}),
    https: config.hallpassUrl.protocol === 'https:',
    clientId: config.clientId,
    timeout: 10_000,
  });

  await app.register(cookie);
  await app.register(formbody);
  await app.register(csrf, { cookieKey: 'classroom_csrf', cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: secure() } });

  app.decorateRequest('classroomUser', null);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(securityHeaders);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  // Every request with a live session counts as activity; an idle one is ended and sends the person to the signed-out screen.
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.classroomSession === 'none') return;
    const session = touchSession(db, request.cookies[SESSION_COOKIE], now(), idleMs);
    if (session.state === 'idle') {
      reply.clearCookie(SESSION_COOKIE, cookieOptions());
      return reply.redirect('/signed-out?reason=inactivity', 303);
    }
    if (session.state === 'active') request.classroomUser = findUser(db, session.userId) ?? null;
  });

  const send = (reply: FastifyReply, page: Html, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(toDocument(page));
  const signedIn = (request: FastifyRequest, reply: FastifyReply): SignedIn => ({
    user: request.classroomUser!,
    csrfToken: reply.generateCsrf(),
  });

  app.get('/style.css', { config: { classroomSession: 'none' } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(stylesheet),
  );

  app.get('/', async (request, reply) => {
    if (!request.classroomUser) return reply.redirect('/login', 303);
    if (!request.classroomUser.preferredName) return reply.redirect('/welcome', 303);
    return send(reply, homePage(signedIn(request, reply)));
  });

  app.get('/login', async (request, reply) => (request.classroomUser ? reply.redirect('/', 303) : send(reply, loginPage())));

  /** "Log in with Clever": through Hallpass, letting Clever's school picker find the district. */
  app.get('/login/clever', { config: { classroomSession: 'none' } }, async (_request, reply) => {
    const state = randomBytes(24).toString('base64url');
    reply.setCookie(LOGIN_STATE_COOKIE, state, { ...cookieOptions(), maxAge: LOGIN_STATE_SECONDS });
    const url = workos.sso.getAuthorizationUrl({
      provider: 'CleverOIDC',
      // Names the Clever app when Hallpass serves several (sent as provider_query_params[client_id]).
      ...(config.cleverClientId ? { providerQueryParams: { client_id: config.cleverClientId } } : {}),
      clientId: config.clientId,
      redirectUri: `${publicUrl()}/callback`,
      state,
    });
    return reply.redirect(url, 303);
  });

  /**
   * The redirect URI. Hallpass sends every sign-in here: Log in with Clever
   * (with our `state`), and Clever Portal and Instant Login launches (no
   * state, whatever the district). A new sign-in always ends the session
   * this browser had, so on a shared device nothing of the previous person
   * stays reachable, even when this sign-in fails.
   */
  app.get('/callback', { config: { classroomSession: 'none' } }, async (request, reply) => {
    endSession(db, request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, cookieOptions());
    const expectedState = request.cookies[LOGIN_STATE_COOKIE];
    if (expectedState) reply.clearCookie(LOGIN_STATE_COOKIE, cookieOptions());

    const query = request.query as Record<string, unknown>;
    const param = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : null);
    const fail = (error: string, description: string | null) => send(reply, signInErrorPage(recordFailure(request, error, description)), 400);

    const state = param('state');
    // Our own Log in with Clever carries our state; Portal and Instant Login launches carry none.
    if (state !== null && !(expectedState && sameText(state, expectedState))) return fail('state_mismatch', null);
    const error = param('error');
    if (error) return fail(error.slice(0, 100), param('error_description')?.slice(0, 500) ?? null);
    const code = param('code');
    if (!code) return fail('invalid_request', 'The sign-in came back without a code.');

    let profile;
    try {
      ({ profile } = await workos.sso.getProfileAndToken({ code, clientId: config.clientId }));
    } catch (err) {
      if (err instanceof OauthException) return fail(err.error ?? 'oauth_failed', err.errorDescription ?? null);
      request.log.error({ err }, 'the code exchange with Hallpass failed');
      return fail('hallpass_unreachable', null);
    }
    const who = cleverIdentityFrom(profile);
    if (who.districtId && who.organizationId) {
      // The district's name comes from the Hallpass organization that serves it; pages still work without it.
      const name = await workos.organizations.getOrganization(who.organizationId).then((org) => org.name, (err: unknown) => {
        request.log.warn({ err }, 'could not read the organization');
        return null;
      });
      rememberDistrict(db, { cleverDistrictId: who.districtId, organizationId: who.organizationId, name });
    }
    const { user, matchedBy } = signInUser(db, who, now());
    request.log.info({ userId: user.id, matchedBy }, 'signed in with Clever');
    reply.setCookie(SESSION_COOKIE, startSession(db, user.id, now()), cookieOptions());
    return reply.redirect(user.preferredName ? '/' : '/welcome', 303);
  });

  function recordFailure(request: FastifyRequest, error: string, description: string | null): SignInFailure {
    const reference = `CLS-${randomBytes(4).toString('hex').toUpperCase()}`;
    db.prepare('INSERT INTO sign_in_errors (reference, occurred_at, error, description) VALUES (?, ?, ?, ?)').run(reference, now(), error, description);
    request.log.warn({ reference, error, description }, 'sign-in failed');
    return { reference, error, description };
  }

  app.get('/welcome', async (request, reply) => {
    if (!request.classroomUser) return reply.redirect('/login', 303);
    if (request.classroomUser.preferredName) return reply.redirect('/', 303);
    return send(reply, welcomePage(signedIn(request, reply), { value: request.classroomUser.firstName ?? '' }));
  });

  app.post('/welcome', { preHandler: app.csrfProtection }, async (request, reply) => {
    if (!request.classroomUser) return reply.redirect('/login', 303);
    const raw = (request.body as Record<string, unknown> | undefined)?.preferred_name;
    const value = typeof raw === 'string' ? raw.normalize('NFC').trim() : '';
    const problem = value === '' ? 'Enter the name you would like to use.' : [...value].length > 60 ? 'Use 60 characters or fewer.' : /[\p{Cc}]/u.test(value) ? 'Use letters, numbers and spaces.' : null;
    if (problem) return send(reply, welcomePage(signedIn(request, reply), { value, error: problem }), 422);
    setPreferredName(db, request.classroomUser.id, value);
    return reply.redirect('/', 303);
  });

  app.post('/logout', { preHandler: app.csrfProtection }, async (request, reply) => {
    endSession(db, request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, cookieOptions());
    return reply.redirect('/signed-out', 303);
  });

  /** The signed-out screen: after Log out, or (`reason=inactivity`) when the first request after the idle timeout ended the session. */
  app.get('/signed-out', async (request, reply) => {
    if (request.classroomUser) return reply.redirect('/', 303); // signed in again meanwhile (e.g. in another tab)
    const reason = (request.query as { reason?: unknown }).reason === 'inactivity' ? 'inactivity' : 'logout';
    return send(reply, signedOutPage(reason, config.idleTimeoutMinutes));
  });

  app.setNotFoundHandler((_request, reply) => send(reply, problemPage('Page not found', 'There is no page at this address.'), 404));
  app.setErrorHandler((err: { statusCode?: number; code?: string }, request, reply) => {
    const status = err.statusCode ?? 500;
    if (err.code?.startsWith('FST_CSRF')) return send(reply, problemPage('This form expired', 'Go back, reload the page and try again.'), 403);
    if (status < 500) return send(reply, problemPage('Something is wrong with this request', 'Go back and try again.'), status);
    request.log.error({ err }, 'request failed');
    return send(reply, problemPage('Something went wrong', 'Classroom could not finish this. Try again in a moment.'), 500);
  });

  return app;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `none`: the route neither reads nor extends the session. */
    classroomSession?: 'none';
  }
}
