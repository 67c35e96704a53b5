import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { continueLogin } from '../flow/continue-login.ts';
import { findDistrict } from '../flow/find-district.ts';
import { currentSession } from '../flow/session-cookie.ts';
import { readParams } from '../request-params.ts';
import { SandboxError } from '../sandbox-error.ts';
import type { LoginRequest } from '../state/login-requests.ts';

/** `GET /oauth/instant-login?client_id&district_id`: signs in if needed, then launches the app at its primary redirect URI. */
export function instantLoginRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/oauth/instant-login', async (request, reply) => {
    const params = readParams(request.query, ['client_id', 'district_id']);
    const client = ctx.directory.app(params.client_id);
    if (!client) throw new SandboxError(400, 'invalid_client', `No app has the client_id ${params.client_id}.`);
    const district = findDistrict(ctx, params.district_id);
    const loginRequest: LoginRequest = { destination: { kind: 'instant-login', clientId: client.client_id }, districtId: district.id };
    return continueLogin(ctx, reply, loginRequest, currentSession(ctx, request));
  });
}
