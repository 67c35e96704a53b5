import type { Selectable } from 'kysely';
import type { SetupLinksTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { SetupLink, Store } from '../types.ts';

/** Setup links: stored as the SHA-256 of their token; revoked links are kept (the organization page lists them). */
export function setupLinkRecords({ db, values }: StoreContext): Store['setupLinks'] {
  const date = (value: Selectable<SetupLinksTable>['created_at']) => values.decodeDate(value);
  const maybeDate = (value: Selectable<SetupLinksTable>['first_opened_at']) => (value === null ? null : values.decodeDate(value));

  function decode(row: Selectable<SetupLinksTable>): SetupLink {
    return {
      id: row.id,
      organizationId: row.organization_id,
      intent: 'sso',
      madeThrough: row.made_through === 'api' ? 'api' : 'dashboard',
      cleverClientId: row.clever_client_id,
      returnUrl: row.return_url,
      successUrl: row.success_url,
      createdBy: row.created_by,
      createdAt: date(row.created_at),
      expiresAt: date(row.expires_at),
      firstOpenedAt: maybeDate(row.first_opened_at),
      lastUsedAt: maybeDate(row.last_used_at),
      revokedAt: maybeDate(row.revoked_at),
    };
  }

  const find = async (id: string) => {
    const row = await db.selectFrom('setup_links').selectAll().where('id', '=', id).executeTakeFirst();
    return row && decode(row);
  };

  return {
    async create(link) {
      await db
        .insertInto('setup_links')
        .values({
          id: link.id,
          organization_id: link.organizationId,
          token_hash: link.tokenHash,
          intent: link.intent,
          made_through: link.madeThrough,
          clever_client_id: link.cleverClientId,
          return_url: link.returnUrl,
          success_url: link.successUrl,
          created_by: link.createdBy,
          created_at: values.encodeDate(link.createdAt),
          expires_at: values.encodeDate(link.expiresAt),
          first_opened_at: null,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      const created = await find(link.id);
      if (!created) throw new Error(`The setup link ${link.id} vanished right after it was created.`);
      return created;
    },

    async findByTokenHash(tokenHash) {
      const row = await db.selectFrom('setup_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && decode(row);
    },

    async findActiveByTokenHash(tokenHash, now) {
      const row = await db
        .selectFrom('setup_links')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', values.encodeDate(now))
        .executeTakeFirst();
      return row && decode(row);
    },

    async markOpened(id, now, expiresAt) {
      // One statement: of two first openings, only one moves the expiry.
      await db
        .updateTable('setup_links')
        .set({ first_opened_at: values.encodeDate(now), ...(expiresAt ? { expires_at: values.encodeDate(expiresAt) } : {}) })
        .where('id', '=', id)
        .where('first_opened_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', values.encodeDate(now))
        .execute();
      return find(id);
    },

    async touch(id, now) {
      await db.updateTable('setup_links').set({ last_used_at: values.encodeDate(now) }).where('id', '=', id).execute();
    },

    async revoke(organizationId, id, now) {
      const result = await db
        .updateTable('setup_links')
        .set({ revoked_at: values.encodeDate(now) })
        .where('id', '=', id)
        .where('organization_id', '=', organizationId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async listForOrganization(organizationId) {
      const rows = await db.selectFrom('setup_links').selectAll().where('organization_id', '=', organizationId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(decode);
    },
  };
}
