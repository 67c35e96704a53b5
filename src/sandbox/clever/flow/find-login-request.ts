import type { SandboxContext } from '../context.ts';
import { SandboxError } from '../sandbox-error.ts';
import type { LoginRequest } from '../state/login-requests.ts';

/** The login request a page's `target` names; unknown or older than 30 minutes means start again. */
export function findLoginRequest(ctx: SandboxContext, target: string): LoginRequest {
  const request = ctx.loginRequests.find(target);
  if (!request) {
    throw new SandboxError(400, 'invalid_request', 'This sign-in has expired. Go back to the app or portal and start again.');
  }
  return request;
}
