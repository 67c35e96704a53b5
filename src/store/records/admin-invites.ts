import type { Selectable } from 'kysely';
import type { AdminInvitesTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { AdminInvite, Store } from '../types.ts';

/** Invitations to become an admin: one-time, expiring, stored as the SHA-256 of the link's token. */
export function adminInviteRecords({ db, values }: StoreContext): Store['adminInvites'] {
  function decode(row: Selectable<AdminInvitesTable>): AdminInvite {
    return {
      tokenHash: row.token_hash,
      email: row.email,
      invitedBy: row.invited_by,
      createdAt: values.decodeDate(row.created_at),
      expiresAt: values.decodeDate(row.expires_at),
    };
  }

  return {
    async create(invite) {
      await db
        .insertInto('admin_invites')
        .values({
          token_hash: invite.tokenHash,
          email: invite.email.toLowerCase(),
          invited_by: invite.invitedBy,
          created_at: values.encodeDate(invite.createdAt),
          expires_at: values.encodeDate(invite.expiresAt),
        })
        .execute();
    },

    async consume(tokenHash, now) {
      // One statement: of two requests with the same link, only one gets the row.
      const row = await db
        .deleteFrom('admin_invites')
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', values.encodeDate(now))
        .returningAll()
        .executeTakeFirst();
      return row && decode(row);
    },

    async listPending(now) {
      const rows = await db.selectFrom('admin_invites').selectAll().where('expires_at', '>', values.encodeDate(now)).orderBy('created_at').execute();
      return rows.map(decode);
    },

    async revoke(email) {
      await db.deleteFrom('admin_invites').where('email', '=', email.toLowerCase()).execute();
    },
  };
}
