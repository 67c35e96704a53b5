import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { continueLogin } from '../flow/continue-login.ts';
import { districtForLogin } from '../flow/district-for-login.ts';
import { findLoginRequest } from '../flow/find-login-request.ts';
import { currentSession } from '../flow/session-cookie.ts';
import { showDistrictLogin } from '../flow/show-login-form.ts';
import { readParams } from '../request-params.ts';

/** `GET /oauth/district-login?target&district_id`: the district's Clever login page. */
export function districtLoginRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/oauth/district-login', async (request, reply) => {
    const params = readParams(request.query, ['target', 'district_id']);
    const loginRequest = findLoginRequest(ctx, params.target);
    const district = districtForLogin(ctx, loginRequest, params.district_id);
    const session = currentSession(ctx, request);
    if (session?.signedIn?.districtId === district.id) return continueLogin(ctx, reply, loginRequest, session);
    return showDistrictLogin(ctx, request, reply, { loginRequest, district });
  });
}
