/**
 * `/setup/{token}`: a customer's IT admin sets up their organization's
 * connection through a setup link, with no Hallpass account.
 *
 * - The token is the credential: looked up by its SHA-256; an unknown one
 *   gets a 404 page, an expired or revoked one a 410 page, each saying whom
 *   to ask. An API-made link's first opening extends its life (see
 *   create-setup-link.ts). The token is in every address here; the broker's
 *   `Referrer-Policy: same-origin` (security-headers.ts) keeps it from every
 *   other site, the IdP included (`no-referrer` would also null the Origin of
 *   our own form posts).
 * - A link reaches its own organization only: every connection ID a form
 *   sends is checked against the link's organization.
 * - Connections are saved through the management API's rule
 *   (`createConnection` / `updateConnection`), discovery checked first, and
 *   kept inactive; only a successful **Test sign-in** activates one.
 * - Clever: a district administrator's sign-in through the application's
 *   Clever app joins their district (`serveDistrict`).
 * - Test sign-ins are ordinary logins whose "app" is `/setup/test-result`
 *   (initiated by `setup`); only codes issued to that address are redeemed
 *   there, and only by the browser that started the sign-in (a cookie holds
 *   the link's token and the attempt's ID).
 * - Forms carry CSRF tokens (@fastify/csrf-protection, secret in a cookie).
 * - Every change is audited as done by the link.
 */
import csrfProtection from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/record-audit.ts';
import { createConnectionInput, updateConnectionInput } from '../api/connection-input.ts';
import { parseInput } from '../api/parse-input.ts';
import { createConnection, updateConnection } from '../api/save-connection.ts';
import { cleverUserGroup } from '../connections/clever-oidc.ts';
import { firstCleverApp, redirectUriFor } from '../connections/redirect-uri.ts';
import { upstreamClientsFor } from '../connections/upstream-client.ts';
import { validateDiscoveryEndpoint } from '../connections/validate-discovery.ts';
import type { AreaOptions, HallpassContext } from '../context.ts';
import { serveDistrict } from '../api/serve-district.ts';
import { explainFailure } from '../sso/test-result.ts';
import { conflictField, fieldErrors, formFields } from '../pages/form-input.ts';
import { HallpassError, toHallpassError } from '../errors.ts';
import { newId } from '../ids.ts';
import { sendPage } from '../pages/send-page.ts';
import { hashSecret } from '../secrets.ts';
import { recordRejectedStart } from '../sso/login-attempts.ts';
import { startUpstreamLogin } from '../sso/start-upstream-login.ts';
import type { AuditActor, Connection, LoginAttempt, Organization, SetupLink } from '../store/types.ts';
import { setupLinkStatus } from './create-setup-link.ts';
import { guides, isProviderId, type Guide } from './guides.ts';
import { CleverPage, ChooseProviderPage, FinishPage, ProviderPage, SetupErrorPage, setupPaths, type SetupOutcome } from './pages.tsx';

const CSRF_COOKIE = 'hallpass_setup_csrf';
/** The sign-in this browser started from a setup link: `token.attemptId[.cleverClientId]`. */
const PENDING_COOKIE = 'hallpass_setup_pending';
const ASK = 'Ask whoever sent you this link (the application’s support team) for a new one.';

interface Opened {
  link: SetupLink;
  organization: Organization;
  /** The application's vendor name (Settings), shown on every page. */
  vendor: string | null;
  actor: AuditActor;
  token: string;
}

interface ByToken {
  Params: { token: string; provider?: string };
}

export default async function setupArea(app: FastifyInstance, options: AreaOptions): Promise<void> {
  await app.register(setup, { ...options, prefix: '/setup' });
}

async function setup(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const secure = ctx.config.publicUrl.startsWith('https://');
  await app.register(csrfProtection, {
    cookieKey: secure ? `__Host-${CSRF_COOKIE}` : CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure },
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    app.csrfProtection(request, reply, done);
  });
  app.setErrorHandler((err, request, reply) => sendSetupError(request, reply, err));
  app.setNotFoundHandler((_request, reply) => sendPage(reply, 404, <SetupErrorPage title="This setup link is not valid" message={`There is no setup link at this address. Check that you copied the whole link. ${ASK}`} />));

  const clients = upstreamClientsFor(ctx);
  const resultUri = `${ctx.config.publicUrl}${setupPaths.testResult}`;

  /** The link behind a token, usable now; stamps its use (and its first opening). */
  async function open(token: string): Promise<Opened> {
    const now = new Date(ctx.now());
    let link = token.length <= 100 ? await ctx.store.setupLinks.findByTokenHash(hashSecret(token)) : undefined;
    if (!link) throw new SetupLinkProblem(404, 'This setup link is not valid', `There is no setup link at this address. Check that you copied the whole link. ${ASK}`);
    const status = setupLinkStatus(link, now);
    if (status === 'revoked') throw new SetupLinkProblem(410, 'This setup link was revoked', `The link was turned off by whoever sent it. ${ASK}`);
    if (status === 'expired') throw new SetupLinkProblem(410, 'This setup link has expired', `Setup links work for a limited time. ${ASK}`);
    if (!link.firstOpenedAt) {
      link = (await ctx.store.setupLinks.markOpened(link.id, now, link.madeThrough === 'api' ? new Date(now.getTime() + ctx.config.admin.sessionMaxMs) : null)) ?? link;
    }
    await ctx.store.setupLinks.touch(link.id, now);
    const organization = await ctx.store.organizations.find(link.organizationId);
    if (!organization) throw new SetupLinkProblem(404, 'This setup link is not valid', `Its organization was deleted. ${ASK}`);
    const { vendorName } = await ctx.store.settings.get();
    return { link, organization, vendor: vendorName, token, actor: { type: 'setup_link', id: link.id, name: `setup link for ${organization.name}` } };
  }

  /** A connection of the link's organization (a form's connection_id); another organization's is unknown here. */
  async function ownConnection(opened: Opened, id: string | undefined): Promise<Connection> {
    const connection = id && id.length <= 100 ? await ctx.store.connections.find(id) : undefined;
    if (!connection || connection.organizationId !== opened.organization.id) {
      throw new HallpassError('entity_not_found', 'This connection is not part of the organization this setup link is for.');
    }
    return connection;
  }

  /** The organization's OpenID Connect connection this setup edits (its oldest one). */
  async function oidcConnection(opened: Opened): Promise<Connection | undefined> {
    const page = await ctx.store.connections.list({ organizationId: opened.organization.id, connectionType: 'GenericOIDC', limit: 1, order: 'asc' });
    return page.data[0];
  }

  function guideOf(provider: string | undefined): Guide {
    if (!provider || !isProviderId(provider)) throw new HallpassError('entity_not_found', 'There is no such identity provider choice. Go back and choose one from the list.');
    return guides[provider];
  }

  async function showProvider(reply: FastifyReply, status: number, opened: Opened, guide: Guide, extras: { connection?: Connection | undefined; values?: { client_id: string; discovery: string }; errors?: Record<string, string>; notice?: string; outcome?: SetupOutcome } = {}) {
    const connection = 'connection' in extras ? extras.connection : await oidcConnection(opened);
    const firstCleverClientId = await firstCleverApp(ctx.store);
    return sendPage(reply, status, (
      <ProviderPage
        token={opened.token}
        csrf={reply.generateCsrf()}
        organization={opened.organization.name} vendor={opened.vendor}
        guide={guide}
        connection={connection}
        redirectUri={connection ? redirectUriFor(ctx.config.publicUrl, connection, firstCleverClientId) : undefined}
        values={extras.values ?? { client_id: connection?.clientId ?? '', discovery: guide.valueFrom(connection?.discoveryEndpoint ?? null) }}
        errors={extras.errors}
        notice={extras.notice}
        outcome={extras.outcome}
      />
    ));
  }

  async function cleverApps(): Promise<Array<{ clientId: string; name: string }>> {
    const apps = await ctx.store.connections.activeCleverApps(100);
    return apps.flatMap((c) => (c.clientId ? [{ clientId: c.clientId, name: `Clever app ${c.clientId}` }] : []));
  }

  async function showClever(reply: FastifyReply, status: number, opened: Opened, outcome?: SetupOutcome) {
    const apps = (await cleverApps()).filter((a) => !opened.link.cleverClientId || a.clientId === opened.link.cleverClientId);
    const own = await ctx.store.connections.list({ organizationId: opened.organization.id, connectionType: 'CleverOIDC', state: 'active', limit: 100, order: 'asc' });
    const districts = own.data.flatMap((c) => (c.districtId ? [c.districtId] : []));
    return sendPage(reply, status, <CleverPage token={opened.token} csrf={reply.generateCsrf()} organization={opened.organization.name} vendor={opened.vendor} apps={apps} districts={districts} outcome={outcome} />);
  }

  function rememberPending(reply: FastifyReply, value: string) {
    reply.setCookie(PENDING_COOKIE, value, { path: '/setup', httpOnly: true, sameSite: 'lax', secure, maxAge: 15 * 60 });
  }

  app.get<ByToken>('/:token', async function showSetupLink(request, reply) {
    const opened = await open(request.params.token);
    const connections = await ctx.store.connections.list({ organizationId: opened.organization.id, limit: 100, order: 'asc' });
    return sendPage(reply, 200, <ChooseProviderPage token={opened.token} organization={opened.organization.name} vendor={opened.vendor} connections={connections.data} />);
  });

  app.get<ByToken>('/:token/done', async function finish(request, reply) {
    const opened = await open(request.params.token);
    if (opened.link.successUrl) return reply.redirect(opened.link.successUrl, 303);
    return sendPage(reply, 200, <FinishPage organization={opened.organization.name} vendor={opened.vendor} />);
  });

  app.get<ByToken>('/:token/:provider', async function showProviderGuide(request, reply) {
    const opened = await open(request.params.token);
    const guide = guideOf(request.params.provider);
    if (guide.id === 'clever') return showClever(reply, 200, opened);
    const saved = (request.query as Record<string, unknown>).saved === '1';
    return showProvider(reply, 200, opened, guide, saved ? { notice: 'Saved and checked. Now test the sign-in.' } : {});
  });

  app.post<ByToken>('/:token/:provider/start', async function startConnection(request, reply) {
    const opened = await open(request.params.token);
    const guide = guideOf(request.params.provider);
    if (guide.connectionType !== 'GenericOIDC') throw new HallpassError('entity_not_found', 'There is nothing to start for this provider.');
    if (!(await oidcConnection(opened))) {
      const created = await createConnection(ctx, parseInput(createConnectionInput, {
        organization_id: opened.organization.id,
        connection_type: 'GenericOIDC',
        name: `${opened.organization.name} ${guide.name}`,
      }, 'body'), { inactive: true });
      await recordAudit(ctx, { actor: opened.actor, action: 'connection.created', targetType: 'connection', targetId: created.id, changes: { name: { to: created.name }, state: { to: created.state } } });
    }
    return reply.redirect(setupPaths.provider(opened.token, guide.id), 303);
  });

  app.post<ByToken>('/:token/:provider/settings', async function saveSettings(request, reply) {
    const opened = await open(request.params.token);
    const guide = guideOf(request.params.provider);
    const fields = formFields(request.body);
    const connection = await ownConnection(opened, fields.connection_id);
    const typed = guide.discoveryField ? (fields[guide.discoveryField.name] ?? '') : '';
    const values = { client_id: fields.client_id ?? '', discovery: typed };
    const errors: Record<string, string> = {};
    const discovery = guide.discoveryField ? guide.discoveryFrom(typed) : (guide.fixedDiscovery ?? null);
    if (!discovery && guide.discoveryField) errors[guide.discoveryField.name] = `Enter the ${guide.discoveryField.label}.`;
    if (values.client_id.trim() === '') errors.client_id = 'Enter the Client ID.';
    if (!fields.client_secret && connection.clientSecretEncrypted === null) errors.client_secret = 'Enter the Client secret.';
    if (discovery && Object.keys(errors).length === 0) {
      // Checked here because a disabled connection skips the check when saved: the admin must learn now.
      const checked = await validateDiscoveryEndpoint(discovery, { timeoutMs: ctx.config.upstreamTimeoutMs, requireHttps: ctx.config.env === 'production' });
      if (!checked.ok) errors[guide.discoveryField?.name ?? 'form'] = `Hallpass could not use this identity provider’s discovery endpoint (${discovery}): ${checked.reason}`;
    }
    if (Object.keys(errors).length > 0) return showProvider(reply, 422, opened, guide, { connection, values, errors });
    try {
      const updated = await updateConnection(ctx, connection.id, parseInput(updateConnectionInput, {
        client_id: values.client_id,
        ...(fields.client_secret ? { client_secret: fields.client_secret } : {}),
        discovery_endpoint: discovery,
        // Not live until a test sign-in succeeds.
        state: 'inactive',
      }, 'body'));
      await recordAudit(ctx, {
        actor: opened.actor,
        action: 'connection.updated',
        targetType: 'connection',
        targetId: connection.id,
        changes: {
          ...(connection.clientId !== updated.clientId ? { client_id: { from: connection.clientId, to: updated.clientId } } : {}),
          ...(connection.discoveryEndpoint !== updated.discoveryEndpoint ? { discovery_endpoint: { from: connection.discoveryEndpoint, to: updated.discoveryEndpoint } } : {}),
          ...(fields.client_secret ? { client_secret: { to: connection.clientSecretEncrypted === null ? 'set' : 'changed' } } : {}),
          ...(connection.state !== updated.state ? { state: { from: connection.state, to: updated.state } } : {}),
        },
      });
    } catch (err) {
      const conflict = conflictField(err);
      return showProvider(reply, conflict ? 409 : 422, opened, guide, { connection, values, errors: conflict ? { form: conflict.message } : fieldErrors(err, (f) => (f === 'discovery_endpoint' ? (guide.discoveryField?.name ?? 'form') : f)) });
    }
    return reply.redirect(`${setupPaths.provider(opened.token, guide.id)}?saved=1`, 303);
  });

  app.post<ByToken>('/:token/:provider/test', async function startTestSignIn(request, reply) {
    const opened = await open(request.params.token);
    const guide = guideOf(request.params.provider);
    const connection = await ownConnection(opened, formFields(request.body).connection_id);
    const loginAttemptId = newId('login');
    try {
      const url = await startUpstreamLogin(ctx, clients, request, reply, {
        connection,
        credentials: connection,
        app: { redirectUri: resultUri, state: loginAttemptId, codeChallenge: null },
        initiatedBy: 'setup',
        loginAttemptId,
      });
      rememberPending(reply, `${opened.token}.${loginAttemptId}`);
      return reply.header('cache-control', 'no-store').redirect(url.href, 303);
    } catch (err) {
      const error = toHallpassError(err);
      if (error.status >= 500 && !error.code.startsWith('upstream_')) throw err;
      await recordRejectedStart(ctx, loginAttemptId, 'setup', error, connection);
      const attempt = await ctx.store.loginAttempts.find(loginAttemptId);
      return showProvider(reply, 200, opened, guide, { connection, outcome: attempt ? failedTest(attempt) : { ok: false, title: 'Test sign-in failed', message: error.message } });
    }
  });

  app.post<ByToken>('/:token/clever/sign-in', async function startCleverSignIn(request, reply) {
    const opened = await open(request.params.token);
    const apps = await cleverApps();
    const { firstCleverClientId } = await ctx.store.settings.get();
    const wanted = opened.link.cleverClientId ?? formFields(request.body).app ?? firstCleverClientId ?? apps[0]?.clientId;
    const credentials = wanted ? await ctx.store.connections.findActiveCleverApp(wanted) : undefined;
    if (!credentials?.clientId) return showClever(reply, 409, opened, { ok: false, title: 'Clever is not available', message: `This application has no active Clever app to sign in through. ${ASK}` });
    const loginAttemptId = newId('login');
    const url = await startUpstreamLogin(ctx, clients, request, reply, {
      connection: null,
      credentials,
      app: { redirectUri: resultUri, state: loginAttemptId, codeChallenge: null },
      initiatedBy: 'setup',
      loginAttemptId,
    });
    rememberPending(reply, `${opened.token}.${loginAttemptId}.${credentials.clientId}`);
    return reply.header('cache-control', 'no-store').redirect(url.href, 303);
  });

  app.get<{ Querystring: Record<string, unknown> }>('/test-result', async function testResult(request, reply) {
    const param = (name: string) => (typeof request.query[name] === 'string' ? (request.query[name] as string).slice(0, 512) : undefined);
    const [token, pendingAttempt, cleverApp] = (request.cookies[PENDING_COOKIE] ?? '').split('.');
    if (!token || !pendingAttempt) {
      throw new SetupLinkProblem(400, 'This test sign-in is unknown', 'It was started in another browser, or more than 15 minutes ago. Open your setup link again and start the test from there.');
    }
    const opened = await open(token);
    reply.clearCookie(PENDING_COOKIE, { path: '/setup' });
    const code = param('code');
    if (code) {
      // Only codes issued to this page: an app's code stays the app's.
      const issued = await ctx.store.codes.consume(hashSecret(code), new Date(ctx.now()), { redirectUri: resultUri });
      if (issued && issued.loginAttemptId === pendingAttempt) {
        await ctx.store.loginAttempts.update(issued.loginAttemptId, { step: 'code_redeemed', outcome: 'succeeded' });
        const connection = await ctx.store.connections.find(issued.profile.connection_id);
        if (!connection) throw new HallpassError('entity_not_found', 'The connection was deleted during the test sign-in.');
        if (connection.connectionType === 'CleverOIDC') return cleverSignedIn(reply, opened, connection, issued.profile.groups);
        if (connection.organizationId !== opened.organization.id) throw new HallpassError('entity_not_found', 'This test sign-in is for another organization.');
        return testSucceeded(reply, opened, connection, issued.profile.email ?? issued.profile.idp_id);
      }
    }
    const attempt = await ctx.store.loginAttempts.find(pendingAttempt);
    if (!attempt || attempt.initiatedBy !== 'setup' || (param('state') ?? pendingAttempt) !== pendingAttempt) {
      throw new SetupLinkProblem(400, 'This test sign-in is unknown', 'Open your setup link again and start the test from there.');
    }
    if (attempt.connectionId === null || attempt.errorCode === 'organization_invalid') return cleverNotServed(reply, opened, attempt, cleverApp);
    const connection = await ownConnection(opened, attempt.connectionId);
    if (connection.connectionType === 'CleverOIDC') return showClever(reply, 200, opened, failedTest(attempt));
    return showProvider(reply, 200, opened, guideFor(connection), { connection, outcome: attempt.outcome === 'failed' ? failedTest(attempt) : { ok: false, title: 'Test sign-in did not finish', message: 'Run the test again.' } });
  });

  /** A successful test: the connection goes live (through the shared rule, which checks its settings again). */
  async function testSucceeded(reply: FastifyReply, opened: Opened, connection: Connection, who: string) {
    const guide = guideFor(connection);
    let updated = connection;
    if (connection.state !== 'active') {
      updated = await updateConnection(ctx, connection.id, { state: 'active' });
      await recordAudit(ctx, { actor: opened.actor, action: 'connection.activated', targetType: 'connection', targetId: connection.id, changes: { state: { from: connection.state, to: updated.state } } });
    }
    const outcome: SetupOutcome = updated.state === 'active'
      ? { ok: true, title: 'Test sign-in succeeded', message: `Signed in as ${who}. Single sign-on is now on for ${opened.organization.name}.` }
      : { ok: false, title: 'Test sign-in succeeded, but the connection could not go live', message: updated.validationError ?? 'Its settings are incomplete.' };
    return showProvider(reply, 200, opened, guide, { connection: updated, outcome });
  }

  /** A Clever sign-in whose district is served already (the callback found its connection). */
  async function cleverSignedIn(reply: FastifyReply, opened: Opened, connection: Connection, groups: string[]) {
    if (!groups.includes('district_admin')) return showClever(reply, 403, opened, notDistrictAdmin());
    if (connection.organizationId !== opened.organization.id) {
      return showClever(reply, 409, opened, {
        ok: false,
        title: 'Your district is already connected to another organization',
        message: `Clever district ${connection.districtId} already signs in to this application as another organization, so it cannot join ${opened.organization.name} too. If this is a mistake, tell whoever sent you this link: they can move the district.`,
      });
    }
    return showClever(reply, 200, opened, { ok: true, title: 'Your district is connected', message: `Clever district ${connection.districtId} already signs in as ${opened.organization.name}.` });
  }

  /** A Clever sign-in from a district no organization serves: a district administrator's joins it to this organization. */
  async function cleverNotServed(reply: FastifyReply, opened: Opened, attempt: LoginAttempt, cookieApp: string | undefined) {
    // The link's own Clever app wins; else the app the ID token was issued to. The browser's cookie only
    // names the app of a link that lets the admin choose (and the choice was theirs anyway).
    const audience = typeof attempt.claims?.aud === 'string' ? attempt.claims.aud : undefined;
    const appClientId = opened.link.cleverClientId ?? audience ?? cookieApp;
    if (attempt.errorCode !== 'organization_invalid' || !attempt.districtId || !appClientId) return showClever(reply, 200, opened, failedTest(attempt));
    const userType = typeof attempt.claims?.user_type === 'string' ? cleverUserGroup(attempt.claims.user_type) : '';
    if (userType !== 'district_admin') return showClever(reply, 403, opened, notDistrictAdmin());
    let joined: Connection;
    try {
      joined = await serveDistrict(ctx, { organizationId: opened.organization.id, districtId: attempt.districtId, appClientId });
    } catch (err) {
      const error = toHallpassError(err);
      if (error.code !== 'conflict' && error.code !== 'invalid_request') throw err;
      return showClever(reply, 409, opened, { ok: false, title: 'Your district could not join', message: error.message });
    }
    await recordAudit(ctx, {
      actor: opened.actor,
      action: 'connection.created',
      targetType: 'connection',
      targetId: joined.id,
      changes: { name: { to: joined.name }, district_id: { to: joined.districtId }, client_id: { to: joined.clientId }, state: { to: joined.state } },
    });
    return showClever(reply, 200, opened, joined.state === 'active'
      ? { ok: true, title: 'Your district is connected', message: `Clever district ${joined.districtId} now signs in as ${opened.organization.name}.` }
      : { ok: false, title: 'Your district was added, but is not active yet', message: joined.validationError ?? 'Tell whoever sent you this link.' });
  }
}

function notDistrictAdmin(): SetupOutcome {
  return { ok: false, title: 'Only a district administrator can connect the district', message: 'You signed in with a Clever account that is not a district administrator. Ask a district administrator of your district to open this link and sign in.' };
}

function failedTest(attempt: LoginAttempt): SetupOutcome {
  const explained = explainFailure(attempt);
  return {
    ok: false,
    title: `Test sign-in failed at: ${explained.step}`,
    message: `${explained.description} The connection stays off until a test succeeds.`,
    step: explained.step,
    upstreamError: explained.upstreamError,
    advice: explained.advice.replace(/Test SSO/g, 'the test'),
    reference: attempt.id,
  };
}

function guideFor(connection: Connection): Guide {
  const endpoint = connection.discoveryEndpoint ?? '';
  if (connection.connectionType === 'CleverOIDC') return guides.clever;
  if (endpoint === guides.google.fixedDiscovery) return guides.google;
  if (guides.entra.valueFrom(endpoint)) return guides.entra;
  if (/\.okta(preview)?\.com\//.test(endpoint)) return guides.okta;
  return guides.oidc;
}

/** A link that cannot be used: its page, with the status that says why (404 unknown, 410 expired or revoked). */
class SetupLinkProblem extends Error {
  constructor(readonly status: number, readonly title: string, message: string) {
    super(message);
  }
}

function sendSetupError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof SetupLinkProblem) return sendPage(reply, err.status, <SetupErrorPage title={err.title} message={err.message} />);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('FST_CSRF')) {
    return sendPage(reply, 403, <SetupErrorPage title="This form cannot be accepted" message="The form was sent without a valid security token (it is too old, or came from another site). Go back, reload the page and try again." />);
  }
  const error = toHallpassError(err);
  if (error.status >= 500) request.log.error({ err }, 'setup link request failed');
  const message = error.expose ? error.message : `Something went wrong on our side. Please try again in a moment. If it keeps happening, ${ASK.charAt(0).toLowerCase()}${ASK.slice(1)}`;
  return sendPage(reply, error.status, <SetupErrorPage title={error.status >= 500 ? 'Something went wrong' : 'This cannot be done'} message={message} />);
}
