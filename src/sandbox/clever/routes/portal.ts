/**
 * The Clever Portal. `GET /in/{slug}` shows the district's login page, or,
 * once signed in, the app tiles; `POST /in/{slug}/launch` opens an app at
 * its primary redirect URI with a code and scope (no state).
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { rolesOf } from '../directory.ts';
import { launchApp } from '../flow/launch-app.ts';
import { findDistrict } from '../flow/find-district.ts';
import { currentSession, sessionForForm } from '../flow/session-cookie.ts';
import { showDistrictLogin } from '../flow/show-login-form.ts';
import { portalPage } from '../pages/portal-page.ts';
import { sendPage } from '../pages/send-page.ts';
import { readParams } from '../request-params.ts';
import { SandboxError } from '../sandbox-error.ts';
import type { SeedDistrict } from '../seed/seed-schema.ts';
import type { LoginRequest } from '../state/login-requests.ts';

export function portalRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const districtFromSlug = (params: unknown): SeedDistrict => {
    const { slug } = params as { slug: string };
    const district = ctx.directory.districtBySlug(slug);
    if (!district) throw new SandboxError(404, 'not_found', `There is no Clever portal at /in/${slug}.`);
    return district;
  };
  const selectRoleUrl = (district: SeedDistrict) =>
    `/oauth/select-role?${new URLSearchParams({ target: ctx.loginRequests.target({ destination: { kind: 'portal' }, districtId: district.id }) })}`;

  // The Portal by district ID (the sandbox's own shortcut, for tools that know a district's ID but not its slug).
  app.get('/in', async (request, reply) => {
    const { district_id: districtId } = readParams(request.query, ['district_id']);
    return reply.redirect(`/in/${findDistrict(ctx, districtId).slug}`, 302);
  });

  app.get('/in/:slug', async (request, reply) => {
    const district = districtFromSlug(request.params);
    const session = currentSession(ctx, request);
    const signedIn = session?.signedIn;
    if (!session || signedIn?.districtId !== district.id) {
      const loginRequest: LoginRequest = { destination: { kind: 'portal' }, districtId: district.id };
      return showDistrictLogin(ctx, request, reply, { loginRequest, district });
    }
    if (!signedIn.activeRole) return reply.redirect(selectRoleUrl(district));
    const user = ctx.directory.user(signedIn.userId)!;
    const page = portalPage({
      district,
      user,
      userType: signedIn.activeRole,
      apps: ctx.directory.appsOf(district.id),
      csrfToken: session.csrfToken,
      switchRoleUrl: rolesOf(user).length > 1 ? selectRoleUrl(district) : undefined,
    });
    return sendPage(reply, page);
  });

  app.post('/in/:slug/launch', async (request, reply) => {
    const district = districtFromSlug(request.params);
    const params = readParams(request.body, ['client_id'], ['csrf']);
    const signedIn = sessionForForm(ctx, request, params.csrf).signedIn;
    if (signedIn?.districtId !== district.id) return reply.redirect(`/in/${district.slug}`);
    const client = ctx.directory.app(params.client_id);
    if (!client) throw new SandboxError(400, 'invalid_client', `No app has the client_id ${params.client_id}.`);
    const redirectUri = client.redirect_uris[0]!;
    return reply.redirect(launchApp(ctx, { app: client, signedIn, redirectUri, state: undefined, nonce: undefined }));
  });
}
