import type { Selectable } from 'kysely';
import type { AuthorizationCodesTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { AuthorizationCode, Store } from '../types.ts';

/** Hallpass codes for the app, stored by hash; each can be consumed once, before it expires. */
export function authorizationCodeRecords({ db, values }: StoreContext): Store['codes'] {
  return {
    async save(code) {
      await db
        .insertInto('authorization_codes')
        .values({
          code_hash: code.codeHash,
          client_id: code.clientId,
          redirect_uri: code.redirectUri,
          code_challenge: code.codeChallenge,
          profile: values.encodeJson(code.profile),
          login_attempt_id: code.loginAttemptId,
          expires_at: values.encodeDate(code.expiresAt),
        })
        .execute();
    },

    async consume(codeHash, now, options = {}) {
      // One statement: of several concurrent redemptions, exactly one gets the row.
      const row = await db
        .deleteFrom('authorization_codes')
        .where('code_hash', '=', codeHash)
        .where('expires_at', '>', values.encodeDate(now))
        .$if(options.withPkceOnly === true, (q) => q.where('code_challenge', 'is not', null))
        .$if(options.redirectUri !== undefined, (q) => q.where('redirect_uri', '=', options.redirectUri!))
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : decode(row);
    },
  };

  function decode(row: Selectable<AuthorizationCodesTable>): AuthorizationCode {
    return {
      codeHash: row.code_hash,
      clientId: row.client_id,
      redirectUri: row.redirect_uri,
      codeChallenge: row.code_challenge,
      profile: values.decodeJson(row.profile),
      loginAttemptId: row.login_attempt_id,
      expiresAt: values.decodeDate(row.expires_at),
    };
  }
}
