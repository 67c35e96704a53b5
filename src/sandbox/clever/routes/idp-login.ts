import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { districtForLogin } from '../flow/district-for-login.ts';
import { findLoginRequest } from '../flow/find-login-request.ts';
import { showDistrictLogin, showIdpLogin } from '../flow/show-login-form.ts';
import { readParams } from '../request-params.ts';

/**
 * `GET /oauth/idp-login?target&district_id`: the emulated Google or Active
 * Directory sign-in, reached from the district page's "Log in with {IdP}".
 */
export function idpLoginRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/oauth/idp-login', async (request, reply) => {
    const params = readParams(request.query, ['target', 'district_id']);
    const loginRequest = findLoginRequest(ctx, params.target);
    const district = districtForLogin(ctx, loginRequest, params.district_id);
    // Clever Passwords districts have no separate IdP: their form is on the district page.
    if (district.login_method === 'clever_passwords') return showDistrictLogin(ctx, request, reply, { loginRequest, district });
    return showIdpLogin(ctx, request, reply, { loginRequest, district });
  });
}
