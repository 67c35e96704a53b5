/**
 * `GET /oauth/authorize`: "Log in with Clever". A bad client or redirect URI
 * gets an error page, never a redirect, so the endpoint cannot be used to
 * send people to an arbitrary site.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { continueLogin } from '../flow/continue-login.ts';
import { findDistrict } from '../flow/find-district.ts';
import { currentSession } from '../flow/session-cookie.ts';
import { readParams } from '../request-params.ts';
import { SandboxError } from '../sandbox-error.ts';
import type { LoginRequest } from '../state/login-requests.ts';

export function authorizeRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/oauth/authorize', async (request, reply) => {
    const params = readParams(request.query, ['client_id'], [
      'response_type', 'redirect_uri', 'state', 'district_id', 'nonce', 'scope',
    ]);
    const client = ctx.directory.app(params.client_id);
    if (!client) throw new SandboxError(400, 'invalid_client', `No app has the client_id ${params.client_id}.`);
    const redirectUri = params.redirect_uri ?? client.redirect_uris[0]!;
    if (!client.redirect_uris.includes(redirectUri)) {
      throw new SandboxError(400, 'invalid_request', `${redirectUri} is not a redirect URI registered for ${client.name}.`);
    }
    if (params.response_type !== 'code') {
      throw new SandboxError(400, 'unsupported_response_type', 'The response_type parameter must be "code".');
    }
    const districtId = params.district_id && findDistrict(ctx, params.district_id).id;
    const loginRequest: LoginRequest = {
      destination: { kind: 'authorize', clientId: client.client_id, redirectUri, state: params.state, nonce: params.nonce },
      districtId,
    };
    return continueLogin(ctx, reply, loginRequest, currentSession(ctx, request));
  });
}
