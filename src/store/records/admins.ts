import type { Selectable } from 'kysely';
import type { AdminsTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { Admin, Store } from '../types.ts';
import { ensureSettings } from './ensure-settings.ts';

/** Dashboard admin accounts. Emails are stored lower-case; the unique constraint keeps them one per person. */
export function adminRecords(context: StoreContext): Store['admins'] {
  const { db, values, isUniqueViolation } = context;

  function decode(row: Selectable<AdminsTable>): Admin {
    return {
      id: row.id,
      email: row.email,
      createdAt: values.decodeDate(row.created_at),
      lastSignInAt: row.last_sign_in_at === null ? null : values.decodeDate(row.last_sign_in_at),
    };
  }

  return {
    async create({ id, email, passwordHash }) {
      const createdAt = new Date();
      try {
        await db
          .insertInto('admins')
          .values({ id, email: email.toLowerCase(), password_hash: passwordHash, created_at: values.encodeDate(createdAt), last_sign_in_at: null })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) return undefined;
        throw error;
      }
      return { id, email: email.toLowerCase(), createdAt, lastSignInAt: null };
    },

    async find(id) {
      const row = await db.selectFrom('admins').selectAll().where('id', '=', id).executeTakeFirst();
      return row && decode(row);
    },

    async findByEmail(email) {
      const row = await db.selectFrom('admins').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
      return row && { ...decode(row), passwordHash: row.password_hash };
    },

    async list() {
      return (await db.selectFrom('admins').selectAll().orderBy('created_at').orderBy('id').execute()).map(decode);
    },

    async count() {
      const row = await db.selectFrom('admins').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async setPassword(id, passwordHash) {
      const result = await db.updateTable('admins').set({ password_hash: passwordHash }).where('id', '=', id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async recordSignIn(id, at) {
      await db.updateTable('admins').set({ last_sign_in_at: values.encodeDate(at) }).where('id', '=', id).execute();
    },

    async remove(id) {
      await ensureSettings(context);
      return db.transaction().execute(async (trx) => {
        // Writing the one settings row first serializes concurrent removals (a row lock on
        // PostgreSQL, the write lock on SQLite), so two admins removing each other cannot
        // both see the other still there and leave nobody.
        await trx.updateTable('settings').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', 1).execute();
        const result = await trx.deleteFrom('admins').where('id', '=', id).executeTakeFirst();
        if (result.numDeletedRows === 0n) return 'not_found' as const;
        const left = await trx.selectFrom('admins').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
        if (Number(left.n) === 0) throw new LastAdmin();
        return 'removed' as const;
      }).catch((error: unknown) => {
        if (error instanceof LastAdmin) return 'last_admin' as const;
        throw error;
      });
    },
  };
}

/** Rolls the removal back: the transaction would have left no admin. */
class LastAdmin extends Error {}
