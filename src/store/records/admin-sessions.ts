import type { StoreContext } from '../store-context.ts';
import type { Store } from '../types.ts';

/** `lastSeenAt` is written at most this often, so every page view is not a write. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Dashboard sessions, by the SHA-256 of the cookie's value. Removing an admin removes theirs (foreign key). */
export function adminSessionRecords({ db, values }: StoreContext): Store['adminSessions'] {
  return {
    async create(session) {
      await db
        .insertInto('admin_sessions')
        .values({
          id_hash: session.idHash,
          admin_id: session.adminId,
          created_at: values.encodeDate(session.createdAt),
          last_seen_at: values.encodeDate(session.lastSeenAt),
          expires_at: values.encodeDate(session.expiresAt),
        })
        .execute();
    },

    async findLive(idHash, now, idleSince) {
      const row = await db
        .selectFrom('admin_sessions')
        .innerJoin('admins', 'admins.id', 'admin_sessions.admin_id')
        .select([
          'admin_sessions.id_hash', 'admin_sessions.admin_id', 'admin_sessions.created_at', 'admin_sessions.last_seen_at', 'admin_sessions.expires_at',
          'admins.email', 'admins.created_at as admin_created_at', 'admins.last_sign_in_at',
        ])
        .where('admin_sessions.id_hash', '=', idHash)
        .where('admin_sessions.expires_at', '>', values.encodeDate(now))
        .where('admin_sessions.last_seen_at', '>', values.encodeDate(idleSince))
        .executeTakeFirst();
      if (!row) return undefined;
      const lastSeenAt = values.decodeDate(row.last_seen_at);
      const session = {
        idHash: row.id_hash,
        adminId: row.admin_id,
        createdAt: values.decodeDate(row.created_at),
        lastSeenAt,
        expiresAt: values.decodeDate(row.expires_at),
      };
      if (now.getTime() - lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
        await db.updateTable('admin_sessions').set({ last_seen_at: values.encodeDate(now) }).where('id_hash', '=', idHash).execute();
        session.lastSeenAt = now;
      }
      const admin = {
        id: row.admin_id,
        email: row.email,
        createdAt: values.decodeDate(row.admin_created_at),
        lastSignInAt: row.last_sign_in_at === null ? null : values.decodeDate(row.last_sign_in_at),
      };
      return { session, admin };
    },

    async destroy(idHash) {
      await db.deleteFrom('admin_sessions').where('id_hash', '=', idHash).execute();
    },
  };
}
