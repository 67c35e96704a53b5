/** Settings → Admins: who can sign in; invite someone (a one-time, expiring link); remove someone (never the last). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AreaOptions } from '../../context.ts';
import { sendPage } from '../../pages/send-page.ts';
import { hashSecret, newSecret } from '../../secrets.ts';
import { checkEmail } from '../admin-accounts.ts';
import { adminActor } from '../actor.ts';
import { recordAudit } from '../audit.ts';
import { formFields } from '../../pages/form-input.ts';
import { paths } from '../paths.ts';
import { signedInAdmin } from '../session.ts';
import { viewerOf } from '../viewer.ts';
import { AdminsPage, type AdminsPageProps } from './pages.tsx';

const notices: Record<string, string> = { removed: 'The admin was removed and signed out.' };

export default async function adminRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const show = async (request: FastifyRequest, reply: FastifyReply, status: number, props: Partial<AdminsPageProps> = {}) => {
    const [admins, invites] = await Promise.all([ctx.store.admins.list(), ctx.store.adminInvites.listPending(new Date(ctx.now()))]);
    return sendPage(reply, status, <AdminsPage viewer={viewerOf(request, reply)} admins={admins} invites={invites} {...props} />);
  };

  app.get<{ Querystring: { notice?: string } }>('/settings/admins', async (request, reply) =>
    show(request, reply, 200, { notice: typeof request.query.notice === 'string' && Object.hasOwn(notices, request.query.notice) ? notices[request.query.notice] : undefined }),
  );

  app.post('/settings/admins/invite', async function inviteAdmin(request, reply) {
    const fields = formFields(request.body);
    const checked = checkEmail(fields.email ?? '');
    if ('problem' in checked) return show(request, reply, 422, { inviteEmail: fields.email, inviteError: checked.problem });
    if (await ctx.store.admins.findByEmail(checked.email)) {
      return show(request, reply, 409, { inviteEmail: fields.email, inviteError: `${checked.email} is already an admin.` });
    }
    const token = newSecret('invite');
    const now = new Date(ctx.now());
    const expiresAt = new Date(now.getTime() + ctx.config.admin.inviteMs);
    // One live invitation per email: a new one replaces the old link.
    await ctx.store.adminInvites.revoke(checked.email);
    await ctx.store.adminInvites.create({ tokenHash: hashSecret(token), email: checked.email, invitedBy: signedInAdmin(request).id, createdAt: now, expiresAt });
    await recordAudit(ctx, { actor: adminActor(request), action: 'admin.invited', targetType: 'admin', targetId: checked.email, changes: { email: { to: checked.email } } });
    return show(request, reply, 200, { inviteLink: { email: checked.email, url: `${ctx.config.publicUrl}${paths.invite(token)}`, expiresAt } });
  });

  app.post<{ Params: { id: string } }>('/settings/admins/:id/remove', async function removeAdmin(request, reply) {
    const target = await ctx.store.admins.find(request.params.id);
    const result = await ctx.store.admins.remove(request.params.id);
    if (result === 'last_admin') return show(request, reply, 409, { error: 'The last admin cannot be removed: invite another admin first.' });
    if (result === 'not_found') return show(request, reply, 404, { error: 'That admin does not exist (any more).' });
    await recordAudit(ctx, { actor: adminActor(request), action: 'admin.removed', targetType: 'admin', targetId: request.params.id, changes: { email: { from: target?.email } } });
    // Removing yourself ends your own session with the account.
    if (request.params.id === signedInAdmin(request).id) return reply.redirect(paths.signIn(), 303);
    return reply.redirect(`${paths.admins}?notice=removed`, 303);
  });
}
