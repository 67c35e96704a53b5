import type { StoreContext } from '../store-context.ts';
import type { Store } from '../types.ts';

/** Access tokens for `/sso/profile`, stored by hash with the profile they unlock. */
export function accessTokenRecords({ db, values }: StoreContext): Store['accessTokens'] {
  return {
    async save(token) {
      await db
        .insertInto('access_tokens')
        .values({ token_hash: token.tokenHash, profile: values.encodeJson(token.profile), expires_at: values.encodeDate(token.expiresAt) })
        .execute();
    },

    async find(tokenHash, now) {
      const row = await db
        .selectFrom('access_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', values.encodeDate(now))
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : { tokenHash: row.token_hash, profile: values.decodeJson(row.profile), expiresAt: values.decodeDate(row.expires_at) };
    },
  };
}
