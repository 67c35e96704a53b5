import type { Insertable, Selectable, Updateable } from 'kysely';
import { paginate, withinRange } from '../pagination.ts';
import type { LoginAttemptsTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { LoginAttempt, LoginInitiator, LoginOutcome, LoginStep, Store } from '../types.ts';

type LoginAttemptFields = Omit<LoginAttempt, 'id' | 'createdAt' | 'updatedAt'>;

/** The record of every login: created at the start, updated as it reaches each step. */
export function loginAttemptRecords({ db, values }: StoreContext): Store['loginAttempts'] {
  function encode(fields: LoginAttemptFields): Omit<Insertable<LoginAttemptsTable>, 'id' | 'created_at' | 'updated_at'>;
  function encode(fields: Partial<LoginAttemptFields>): Updateable<LoginAttemptsTable>;
  function encode(fields: Partial<LoginAttemptFields>): Updateable<LoginAttemptsTable> {
    return {
      connection_id: fields.connectionId,
      organization_id: fields.organizationId,
      initiated_by: fields.initiatedBy,
      step: fields.step,
      outcome: fields.outcome,
      error_code: fields.errorCode,
      error_description: fields.errorDescription,
      upstream_error: fields.upstreamError,
      district_id: fields.districtId,
      idp_id: fields.idpId,
      email: fields.email,
    };
  }

  function decode(row: Selectable<LoginAttemptsTable>): LoginAttempt {
    return {
      id: row.id,
      connectionId: row.connection_id,
      organizationId: row.organization_id,
      initiatedBy: row.initiated_by as LoginInitiator,
      step: row.step as LoginStep,
      outcome: row.outcome as LoginOutcome,
      errorCode: row.error_code,
      errorDescription: row.error_description,
      upstreamError: row.upstream_error,
      districtId: row.district_id,
      idpId: row.idp_id,
      email: row.email,
      createdAt: values.decodeDate(row.created_at),
      updatedAt: values.decodeDate(row.updated_at),
    };
  }

  return {
    async create(attempt) {
      const now = new Date();
      await db
        .insertInto('login_attempts')
        .values({ id: attempt.id, ...encode(attempt), created_at: values.encodeDate(now), updated_at: values.encodeDate(now) })
        .execute();
      return { ...attempt, createdAt: now, updatedAt: now };
    },

    async update(id, patch) {
      await db
        .updateTable('login_attempts')
        .set({ ...encode(patch), updated_at: values.encodeDate(new Date()) })
        .where('id', '=', id)
        .execute();
    },

    async find(id) {
      const row = await db.selectFrom('login_attempts').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : decode(row);
    },

    async list({ connectionId, organizationId, ...options }) {
      const page = await paginate(options, (range) => {
        let query = db.selectFrom('login_attempts').selectAll();
        if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
        if (organizationId !== undefined) query = query.where('organization_id', '=', organizationId);
        return withinRange(query, range).execute();
      });
      return { ...page, data: page.data.map(decode) };
    },
  };
}
