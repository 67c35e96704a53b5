import type { Selectable } from 'kysely';
import type { ApiKeysTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { ApiKey, Store } from '../types.ts';

/**
 * `lastUsedAt` is written at most this often per key. Every token request
 * authenticates with the key, and stamping each use would make hundreds of
 * writes a second to one row, which PostgreSQL serializes on its row lock.
 */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The application's API keys (`sk_…`), stored as SHA-256 hashes only. */
export function apiKeyRecords({ db, values }: StoreContext): Store['apiKeys'] {
  function decode(row: Selectable<ApiKeysTable>): ApiKey {
    return {
      id: row.id,
      name: row.name,
      lastFour: row.last_four,
      createdAt: values.decodeDate(row.created_at),
      lastUsedAt: row.last_used_at === null ? null : values.decodeDate(row.last_used_at),
    };
  }

  return {
    async create(key) {
      const now = new Date();
      await db
        .insertInto('api_keys')
        .values({ id: key.id, name: key.name, key_hash: key.hash, last_four: key.lastFour, created_at: values.encodeDate(now), last_used_at: null })
        .execute();
      return { id: key.id, name: key.name, lastFour: key.lastFour, createdAt: now, lastUsedAt: null };
    },

    async findByHash(hash) {
      const row = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
      if (row === undefined) return undefined;
      const key = decode(row);
      const now = new Date();
      if (key.lastUsedAt === null || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
        await db.updateTable('api_keys').set({ last_used_at: values.encodeDate(now) }).where('id', '=', key.id).execute();
        key.lastUsedAt = now;
      }
      return key;
    },

    async list() {
      return (await db.selectFrom('api_keys').selectAll().orderBy('id').execute()).map(decode);
    },

    async revoke(id) {
      const result = await db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
