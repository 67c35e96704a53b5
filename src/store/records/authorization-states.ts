import type { Selectable } from 'kysely';
import type { AuthorizationStatesTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { AuthorizationState, ConnectionType, LoginInitiator, Store } from '../types.ts';

/** Logins in flight toward the IdP; each `state` can be consumed once, before it expires. */
export function authorizationStateRecords({ db, values }: StoreContext): Store['authorizationStates'] {
  return {
    async save(s) {
      await db
        .insertInto('authorization_states')
        .values({
          state: s.state,
          connection_id: s.connectionId,
          connection_type: s.connectionType,
          browser_binding_hash: s.browserBindingHash,
          nonce: s.nonce,
          code_verifier: s.codeVerifier,
          app_redirect_uri: s.appRedirectUri,
          app_state: s.appState,
          app_code_challenge: s.appCodeChallenge,
          login_attempt_id: s.loginAttemptId,
          credentials_id: s.credentialsId,
          record_attempt_on_return: s.recordAttemptOnReturn ?? null,
          expires_at: values.encodeDate(s.expiresAt),
        })
        .execute();
    },

    async consume(state, now) {
      // One statement: of several concurrent callers, exactly one gets the row.
      const row = await db
        .updateTable('authorization_states')
        .set({ consumed: 1 })
        .where('state', '=', state)
        .where('consumed', '=', 0)
        .where('expires_at', '>', values.encodeDate(now))
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : decode(row);
    },

    async findConsumed(state, now) {
      const row = await db
        .selectFrom('authorization_states')
        .selectAll()
        .where('state', '=', state)
        .where('consumed', '=', 1)
        .where('expires_at', '>', values.encodeDate(now))
        .executeTakeFirst();
      return row === undefined ? undefined : decode(row);
    },
  };

  function decode(row: Selectable<AuthorizationStatesTable>): AuthorizationState {
    return {
      state: row.state,
      connectionId: row.connection_id,
      connectionType: row.connection_type as ConnectionType,
      browserBindingHash: row.browser_binding_hash,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      appRedirectUri: row.app_redirect_uri,
      appState: row.app_state,
      appCodeChallenge: row.app_code_challenge,
      loginAttemptId: row.login_attempt_id,
      credentialsId: row.credentials_id,
      recordAttemptOnReturn: row.record_attempt_on_return as LoginInitiator | null,
      expiresAt: values.decodeDate(row.expires_at),
    };
  }
}
