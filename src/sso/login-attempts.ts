import type { HallpassContext } from '../context.ts';
import type { HallpassError } from '../errors.ts';
import type { LoginAttempt, LoginInitiator, LoginStep } from '../store/types.ts';

/** How the attempt log describes a failure: our code, our words (with the private detail), the IdP's own error. */
function failure(err: HallpassError) {
  return {
    outcome: 'failed' as const,
    errorCode: err.expose ? err.code : 'server_error',
    errorDescription: err.detail ? `${err.message} (${err.detail})` : err.message,
    upstreamError: err.upstreamError ?? null,
  };
}

/**
 * Records that a login failed at a step, for the admin's log. Never throws:
 * a failure to record must not hide the failure being recorded.
 */
export async function recordFailure(
  ctx: HallpassContext,
  attemptId: string,
  step: LoginStep,
  err: HallpassError,
  who?: Partial<Pick<LoginAttempt, 'idpId' | 'email' | 'districtId' | 'name' | 'claims' | 'steps'>>,
): Promise<void> {
  try {
    await ctx.store.loginAttempts.update(attemptId, { ...who, step, ...failure(err) });
  } catch (recordErr) {
    ctx.logger.error({ err: recordErr, attemptId }, 'could not record a failed login attempt');
  }
}

/** Records a login that failed before it reached the IdP (bad request, no connection, discovery down). */
export async function recordRejectedStart(ctx: HallpassContext, id: string, initiatedBy: LoginInitiator, err: HallpassError): Promise<void> {
  try {
    await ctx.store.loginAttempts.create({
      id,
      connectionId: null,
      organizationId: null,
      initiatedBy,
      step: 'authorize',
      districtId: null,
      idpId: null,
      email: null,
      ...failure(err),
    });
  } catch (recordErr) {
    ctx.logger.error({ err: recordErr, attemptId: id }, 'could not record a rejected login');
  }
}
