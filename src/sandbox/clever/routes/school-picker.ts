import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { continueLogin } from '../flow/continue-login.ts';
import { findLoginRequest } from '../flow/find-login-request.ts';
import { currentSession } from '../flow/session-cookie.ts';
import { schoolPickerPage } from '../pages/school-picker-page.ts';
import { sendPage } from '../pages/send-page.ts';
import { readParams } from '../request-params.ts';

/** `GET /oauth/school-picker?target&q`: find a district's login page by school name (or sandbox district ID). */
export function schoolPickerRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/oauth/school-picker', async (request, reply) => {
    const params = readParams(request.query, ['target'], ['q']);
    const loginRequest = findLoginRequest(ctx, params.target);
    const session = currentSession(ctx, request);
    if (session?.signedIn) return continueLogin(ctx, reply, loginRequest, session);
    const query = params.q ?? '';
    return sendPage(reply, schoolPickerPage({ target: ctx.loginRequests.target(loginRequest), query, results: ctx.directory.searchSchools(query) }));
  });
}
