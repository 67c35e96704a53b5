/**
 * Signing in and out, and accepting an invitation. These routes are open to
 * anyone (they are how a session starts); every POST still needs a CSRF token.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AreaOptions, HallpassContext } from '../../context.ts';
import { HallpassError } from '../../errors.ts';
import { sendPage } from '../../pages/send-page.ts';
import { hashSecret } from '../../secrets.ts';
import { checkEmail, createAdmin } from '../admin-accounts.ts';
import { recordAudit } from '../audit.ts';
import { formFields } from '../../pages/form-input.ts';
import { decoyHash, MAX_PASSWORD_LENGTH, passwordProblem, verifyPassword } from '../passwords.ts';
import { paths } from '../paths.ts';
import { currentSession, endSession, safeNext, startSession } from '../session.ts';
import { accountKey, addressKey, throttleVerdict } from '../throttle.ts';
import { AcceptInvitePage, InviteUnusablePage, SignInPage } from './pages.tsx';

const notices: Record<string, { kind: 'success' | 'info'; text: string }> = {
  'signed-out': { kind: 'success', text: 'You are signed out.' },
};

export default async function signInRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  app.get<{ Querystring: { next?: string; notice?: string } }>('/sign-in', async (request, reply) => {
    if (await currentSession(ctx, request)) return reply.redirect(safeNext(request.query.next), 303);
    const notice = typeof request.query.notice === 'string' && Object.hasOwn(notices, request.query.notice) ? notices[request.query.notice] : undefined;
    const next = safeNext(request.query.next);
    return sendPage(reply, 200, <SignInPage csrf={reply.generateCsrf()} next={next === paths.home ? undefined : next} message={notice} />);
  });

  app.post('/sign-in', async function signIn(request, reply) {
    const fields = formFields(request.body);
    const email = (fields.email ?? '').trim().toLowerCase();
    const password = fields.password ?? '';
    const next = safeNext(fields.next);
    const again = (status: number, text: string) =>
      sendPage(reply, status, <SignInPage csrf={reply.generateCsrf()} email={email} next={next === paths.home ? undefined : next} message={{ kind: 'error', text }} />);

    const keys = [accountKey(email), addressKey(request.ip)];
    const now = ctx.now();
    const limits = ctx.config.admin.signIn;
    const verdict = throttleVerdict(limits, await ctx.store.signInFailures.read(keys, new Date(now - limits.lockMs)), now);
    if (!verdict.allowed) {
      const seconds = Math.ceil(verdict.retryAfterMs / 1000);
      await recordAudit(ctx, { actor: anonymous(request), action: 'admin.sign_in_refused', targetType: 'admin', targetId: email || null });
      reply.header('retry-after', String(seconds));
      return again(429, verdict.locked
        ? `Too many wrong passwords. Sign-in is locked for ${describeWait(seconds)}; try again later.`
        : `Too many wrong passwords. Wait ${describeWait(seconds)} before trying again.`);
    }

    const admin = email && password.length <= MAX_PASSWORD_LENGTH ? await ctx.store.admins.findByEmail(email) : undefined;
    // An unknown email costs a hash too, so timing does not tell which accounts exist.
    const matches = await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), admin?.passwordHash ?? (await decoyHash));
    if (!admin || !matches) {
      await ctx.store.signInFailures.record(keys, new Date(now), new Date(now - limits.lockMs));
      await recordAudit(ctx, { actor: anonymous(request), action: 'admin.sign_in_failed', targetType: 'admin', targetId: admin?.id ?? (email || null) });
      return again(401, 'That email and password do not match an admin account.');
    }
    await ctx.store.signInFailures.clear(accountKey(email));
    await startSession(ctx, request, reply, admin);
    await recordAudit(ctx, { actor: { type: 'admin', id: admin.id, name: admin.email }, action: 'admin.signed_in', targetType: 'admin', targetId: admin.id });
    return reply.redirect(next, 303);
  });

  app.post('/sign-out', async function signOut(request, reply) {
    const live = await currentSession(ctx, request);
    await endSession(ctx, request, reply);
    if (live) await recordAudit(ctx, { actor: { type: 'admin', id: live.admin.id, name: live.admin.email }, action: 'admin.signed_out', targetType: 'admin', targetId: live.admin.id });
    return reply.redirect(`${paths.signIn()}?notice=signed-out`, 303);
  });

  app.get<{ Params: { token: string } }>('/invite/:token', async (request, reply) => {
    const invite = await pendingInvite(ctx, request.params.token);
    if (!invite) return sendPage(reply, 404, <InviteUnusablePage />);
    return sendPage(reply, 200, <AcceptInvitePage csrf={reply.generateCsrf()} token={request.params.token} email={invite.email} />);
  });

  app.post<{ Params: { token: string } }>('/invite/:token', async function acceptInvite(request, reply) {
    const { token } = request.params;
    const invite = await pendingInvite(ctx, token);
    if (!invite) return sendPage(reply, 404, <InviteUnusablePage />);
    const fields = formFields(request.body);
    const password = fields.password ?? '';
    const retry = (error: string) => sendPage(reply, 422, <AcceptInvitePage csrf={reply.generateCsrf()} token={token} email={invite.email} error={error} />);
    if (password !== fields.password_again) return retry('The two passwords differ.');
    const checked = checkEmail(invite.email);
    if ('problem' in checked) return sendPage(reply, 404, <InviteUnusablePage />);
    const problem = passwordProblem(password);
    if (problem) return retry(problem);
    // Consumed only once the password is acceptable, and then atomically: a link works once.
    let admin;
    try {
      if (!(await ctx.store.adminInvites.consume(hashSecret(token), new Date(ctx.now())))) return sendPage(reply, 404, <InviteUnusablePage />);
      admin = await createAdmin(ctx, checked.email, password);
    } catch (err) {
      if (err instanceof HallpassError && err.code === 'conflict') return sendPage(reply, 409, <InviteUnusablePage />);
      throw err;
    }
    await startSession(ctx, request, reply, admin);
    await recordAudit(ctx, { actor: { type: 'admin', id: admin.id, name: admin.email }, action: 'admin.invite_accepted', targetType: 'admin', targetId: admin.id });
    return reply.redirect(paths.home, 303);
  });
}

async function pendingInvite(ctx: HallpassContext, token: string) {
  if (token.length > 100) return undefined;
  const hash = hashSecret(token);
  return (await ctx.store.adminInvites.listPending(new Date(ctx.now()))).find((invite) => invite.tokenHash === hash);
}

function anonymous(request: FastifyRequest) {
  return { type: 'system' as const, id: null, name: `sign-in form from ${request.ip}` };
}

function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

