import type { HallpassContext } from '../context.ts';
import type { HallpassError } from '../errors.ts';
import type { LoginAttempt, LoginInitiator, LoginStep } from '../store/types.ts';

/**
 * Records that a login failed at a step, with our error code, our description
 * and the IdP's own error, for the admin's log. Never throws: a failure to
 * record must not hide the failure being recorded.
 */
export async function recordFailure(
  ctx: HallpassContext,
  attemptId: string,
  step: LoginStep,
  err: HallpassError,
  who?: Pick<LoginAttempt, 'idpId' | 'email' | 'districtId'>,
): Promise<void> {
  try {
    await ctx.store.loginAttempts.update(attemptId, {
      ...who,
      step,
      outcome: 'failed',
      errorCode: err.expose ? err.code : 'server_error',
      errorDescription: err.detail ? `${err.message} (${err.detail})` : err.message,
      upstreamError: err.upstreamError ?? null,
    });
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
      outcome: 'failed',
      errorCode: err.expose ? err.code : 'server_error',
      errorDescription: err.message,
      upstreamError: err.upstreamError ?? null,
      districtId: null,
      idpId: null,
      email: null,
    });
  } catch (recordErr) {
    ctx.logger.error({ err: recordErr }, 'could not record a rejected login');
  }
}
