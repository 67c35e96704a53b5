/**
 * `POST /oauth/login`: checks the username and password posted by a district
 * or IdP login form, starts the two-hour Clever session and continues the login.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { rolesOf } from '../directory.ts';
import { continueLogin } from '../flow/continue-login.ts';
import { districtForLogin } from '../flow/district-for-login.ts';
import { findLoginRequest } from '../flow/find-login-request.ts';
import { sessionForForm, setSessionCookie } from '../flow/session-cookie.ts';
import { showDistrictLogin, showIdpLogin } from '../flow/show-login-form.ts';
import { readParams } from '../request-params.ts';

export function signInRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/oauth/login', async (request, reply) => {
    const params = readParams(request.body, ['target', 'district_id'], ['username', 'password', 'csrf']);
    const previous = sessionForForm(ctx, request, params.csrf);
    const loginRequest = findLoginRequest(ctx, params.target);
    const district = districtForLogin(ctx, loginRequest, params.district_id);
    const user = params.username ? ctx.directory.findByUsername(district.id, params.username) : undefined;
    if (!user || user.password !== params.password) {
      const show = district.login_method === 'clever_passwords' ? showDistrictLogin : showIdpLogin;
      return show(ctx, request, reply, { loginRequest, district, error: 'Incorrect username or password.' });
    }
    const roles = rolesOf(user);
    const session = ctx.sessions.signIn(previous, {
      userId: user.id,
      districtId: district.id,
      // A single-role user has nothing to pick.
      activeRole: roles.length === 1 ? roles[0]!.type : undefined,
    });
    setSessionCookie(ctx, reply, session);
    return continueLogin(ctx, reply, loginRequest, session);
  });
}
