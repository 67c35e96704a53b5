import type { HallpassContext } from '../context.ts';
import { publicError, type HallpassError } from '../errors.ts';
import { countSignIn } from '../metrics.ts';
import type { AuthorizationState, Connection, ConnectionType, LoginAttempt, LoginInitiator, LoginStep } from '../store/types.ts';

/** How the attempt log describes a failure: our code, our words (with the private detail), the IdP's own error. */
function failure(err: HallpassError) {
  return {
    outcome: 'failed' as const,
    errorCode: publicError(err).code,
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
  connectionType?: ConnectionType,
): Promise<void> {
  countSignIn('failed', connectionType, step);
  try {
    await ctx.store.loginAttempts.update(attemptId, { ...who, step, ...failure(err) });
  } catch (recordErr) {
    ctx.logger.error({ err: recordErr, attemptId }, 'could not record a failed login attempt');
  }
}

/**
 * Records a login that failed before it reached the IdP (bad request, no
 * connection, discovery down). Without a connection it is only counted
 * (`start:<code>`), not stored: anyone can send such requests.
 *
 * @returns whether a row was stored (so its ID may be shown as a reference).
 */
export async function recordRejectedStart(
  ctx: HallpassContext,
  id: string,
  initiatedBy: LoginInitiator,
  err: HallpassError,
  connection: Connection | null = null,
): Promise<boolean> {
  countSignIn('failed', connection?.connectionType, 'authorize');
  // Test SSO is an admin's tool: its failures are always kept for its report.
  if (connection === null && initiatedBy !== 'test') {
    countUnrecorded(ctx, `start:${failure(err).errorCode}`);
    return false;
  }
  try {
    await ctx.store.loginAttempts.create({
      id,
      connectionId: connection?.id ?? null,
      organizationId: connection?.organizationId ?? null,
      initiatedBy,
      step: 'authorize',
      districtId: connection?.districtId ?? null,
      idpId: null,
      email: null,
      ...failure(err),
    });
  } catch (recordErr) {
    ctx.logger.error({ err: recordErr, attemptId: id }, 'could not record a rejected login');
  }
  return true;
}

/** Counts a request that leaves no login attempt (see `Store.loginCounters`). */
export function countUnrecorded(ctx: HallpassContext, reason: string): void {
  ctx.store.loginCounters.increment(reason, new Date(ctx.now()));
}

/** Writes the attempt of a login that started without a connection, now that the browser is back from the IdP. */
export async function recordReturnedLogin(ctx: HallpassContext, state: AuthorizationState): Promise<void> {
  if (!state.recordAttemptOnReturn) return;
  try {
    await ctx.store.loginAttempts.create({
      id: state.loginAttemptId,
      connectionId: state.connectionId,
      organizationId: null,
      initiatedBy: state.recordAttemptOnReturn,
      step: 'callback',
      outcome: 'pending',
      errorCode: null,
      errorDescription: null,
      upstreamError: null,
      districtId: null,
      idpId: null,
      email: null,
    });
  } catch (recordErr) {
    ctx.logger.error({ err: recordErr, attemptId: state.loginAttemptId }, 'could not record a returning login');
  }
}
