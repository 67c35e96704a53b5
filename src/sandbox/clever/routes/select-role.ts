/**
 * `GET|POST /oauth/select-role`: a user with several roles picks the one to
 * continue as. The pick decides the ID token's `user_type` and `user_id`;
 * `sub` and `multi_role_user_id` name the person and stay the same.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { rolesOf } from '../directory.ts';
import { continueLogin } from '../flow/continue-login.ts';
import { findLoginRequest } from '../flow/find-login-request.ts';
import { currentSession, sessionForForm } from '../flow/session-cookie.ts';
import { rolePickerPage } from '../pages/role-picker-page.ts';
import { sendPage } from '../pages/send-page.ts';
import { readParams } from '../request-params.ts';
import { SandboxError } from '../sandbox-error.ts';

export function selectRoleRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/oauth/select-role', async (request, reply) => {
    const params = readParams(request.query, ['target']);
    const loginRequest = findLoginRequest(ctx, params.target);
    const session = currentSession(ctx, request);
    if (!session?.signedIn) return continueLogin(ctx, reply, loginRequest, session);
    const user = ctx.directory.user(session.signedIn.userId)!;
    const page = rolePickerPage({ user, roles: rolesOf(user), target: ctx.loginRequests.target(loginRequest), csrfToken: session.csrfToken });
    return sendPage(reply, page);
  });

  app.post('/oauth/select-role', async (request, reply) => {
    const params = readParams(request.body, ['target', 'role'], ['csrf']);
    const session = sessionForForm(ctx, request, params.csrf);
    const loginRequest = findLoginRequest(ctx, params.target);
    if (!session.signedIn) return continueLogin(ctx, reply, loginRequest, session);
    const user = ctx.directory.user(session.signedIn.userId)!;
    const role = rolesOf(user).find((r) => r.type === params.role);
    if (!role) throw new SandboxError(400, 'invalid_request', 'You do not have that role.');
    session.signedIn.activeRole = role.type;
    return continueLogin(ctx, reply, loginRequest, session);
  });
}
