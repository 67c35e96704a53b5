import type { Kysely } from 'kysely';
import type { DbTimestamp } from '../dialect.ts';
import type { Database } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { RedirectUri, Store } from '../types.ts';
import { ensureSettings } from './ensure-settings.ts';

/**
 * The allow-list of the app's redirect URIs (exact match). Which one is the
 * default is kept once, in the settings row, so the two can never disagree.
 */
export function redirectUriRecords(context: StoreContext): Store['redirectUris'] {
  const { db, values } = context;

  async function select(uri?: string): Promise<RedirectUri[]> {
    let query = db
      .selectFrom('redirect_uris')
      .select((eb) => [
        'uri',
        'created_at',
        eb.selectFrom('settings').select('default_redirect_uri').where('id', '=', 1).as('default_uri'),
      ]);
    if (uri !== undefined) query = query.where('uri', '=', uri);
    const rows = await query.orderBy('created_at').orderBy('uri').execute();
    return rows.map((row) => ({ uri: row.uri, isDefault: row.uri === row.default_uri, createdAt: values.decodeDate(row.created_at) }));
  }

  return {
    list: () => select(),

    async add(uri, isDefault) {
      if (isDefault) await ensureSettings(context);
      await db.transaction().execute(async (trx) => {
        await addRedirectUri(trx, uri, values.encodeDate(new Date()));
        if (isDefault) await trx.updateTable('settings').set({ default_redirect_uri: uri }).where('id', '=', 1).execute();
      });
      const [added] = await select(uri);
      if (added === undefined) throw new Error(`The redirect URI ${uri} vanished right after it was added.`);
      return added;
    },

    async remove(uri) {
      return db.transaction().execute(async (trx) => {
        const result = await trx.deleteFrom('redirect_uris').where('uri', '=', uri).executeTakeFirst();
        await trx.updateTable('settings').set({ default_redirect_uri: null }).where('default_redirect_uri', '=', uri).execute();
        return result.numDeletedRows > 0n;
      });
    },
  };
}

/** Puts a URI on the allow-list; a no-op when it is already there. */
export async function addRedirectUri(db: Kysely<Database>, uri: string, createdAt: DbTimestamp): Promise<void> {
  await db
    .insertInto('redirect_uris')
    .values({ uri, created_at: createdAt })
    .onConflict((conflict) => conflict.column('uri').doNothing())
    .execute();
}
