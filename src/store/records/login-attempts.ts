import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import { paginate, withinRange } from '../pagination.ts';
import type { Database, LoginAttemptsTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { LoginAttempt, LoginInitiator, LoginOutcome, LoginStep, LoginStepTime, Store } from '../types.ts';
import { escapeLike } from './escape-like.ts';

type LoginAttemptFields = Omit<LoginAttempt, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * The record of every login: created at the start, updated as it reaches each
 * step. Also `flush()`, for `close`: it resolves once every write already
 * requested is durable.
 */
export function loginAttemptRecords({ db, values }: StoreContext): Store['loginAttempts'] & { flush(): Promise<void> } {
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
      name: fields.name,
      claims: fields.claims === undefined ? undefined : fields.claims === null ? null : values.encodeJson(fields.claims),
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
      name: row.name,
      claims: row.claims === null ? null : values.decodeJson<Record<string, unknown>>(row.claims),
      steps: decodeSteps(row.steps),
      createdAt: values.decodeDate(row.created_at),
      updatedAt: values.decodeDate(row.updated_at),
    };
  }

  // Attempts are written at every step of every login. Writes that arrive
  // together (concurrent logins) are committed together in one transaction,
  // a group commit: each caller still returns only once its write is durable,
  // so a login that continues on another instance always finds its record.
  type Write = { insert: Insertable<LoginAttemptsTable> } | { update: Updateable<LoginAttemptsTable>; id: string; appendSteps: string | undefined };
  let buffer: Write[] = [];
  let flushing: Promise<void> | undefined;
  let scheduled: Promise<void> | undefined;

  function write(entry: Write): Promise<void> {
    buffer.push(entry);
    // setImmediate: let the writes of requests already in this event-loop turn join.
    scheduled ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      scheduled = undefined;
      return flush();
    });
    return scheduled;
  }

  async function apply(executor: Kysely<Database> | Transaction<Database>, write: Write): Promise<void> {
    if ('insert' in write) await executor.insertInto('login_attempts').values(write.insert).execute();
    else {
      // Steps are appended in the statement itself, so an update never reads the row first.
      const steps = write.appendSteps === undefined ? {} : { steps: sql<string>`coalesce(steps || ',', '') || ${write.appendSteps}` };
      await executor.updateTable('login_attempts').set({ ...write.update, ...steps }).where('id', '=', write.id).execute();
    }
  }

  /** Resolves once everything buffered before the call (and since) is written. */
  async function flush(): Promise<void> {
    while (flushing !== undefined || buffer.length > 0) {
      if (flushing === undefined) {
        const writes = buffer;
        buffer = [];
        flushing = writeAll(writes).finally(() => {
          flushing = undefined;
        });
      }
      await flushing;
    }
  }

  async function writeAll(writes: Write[]): Promise<void> {
    // A lone write needs no transaction around it (BEGIN and COMMIT would be two more round trips).
    if (writes.length > 1) {
      try {
        await db.transaction().execute(async (trx) => {
          for (const write of writes) await apply(trx, write);
        });
        return;
      } catch {
        // One bad write must not take the others with it: apply them one by one.
      }
    }
    for (const write of writes) {
      await apply(db, write).catch((err: unknown) => process.emitWarning(`a login attempt could not be recorded: ${String(err)}`));
    }
  }

  return {
    async create(attempt) {
      const now = new Date();
      const steps = [...(attempt.steps ?? []), { step: attempt.step, at: now }];
      await write({
        insert: { id: attempt.id, ...encode(attempt), steps: encodeSteps(steps), created_at: values.encodeDate(now), updated_at: values.encodeDate(now) },
      });
      return { ...attempt, name: attempt.name ?? null, claims: attempt.claims ?? null, steps, createdAt: now, updatedAt: now };
    },

    async update(id, patch) {
      const now = new Date();
      const { steps: earlier = [], ...fields } = patch;
      const steps = fields.step === undefined ? earlier : [...earlier, { step: fields.step, at: now }];
      await write({ update: { ...encode(fields), updated_at: values.encodeDate(now) }, id, appendSteps: steps.length > 0 ? encodeSteps(steps) : undefined });
    },

    flush,

    async find(id) {
      const row = await db.selectFrom('login_attempts').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : decode(row);
    },

    async list({ connectionId, organizationId, outcome, since, until, search, ...options }) {
      const person = search?.trim().toLowerCase();
      const page = await paginate(options, (range) => {
        let query = db.selectFrom('login_attempts').selectAll();
        if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
        if (organizationId !== undefined) query = query.where('organization_id', '=', organizationId);
        if (outcome !== undefined) query = query.where('outcome', '=', outcome);
        if (since !== undefined) query = query.where('created_at', '>=', values.encodeDate(since));
        if (until !== undefined) query = query.where('created_at', '<', values.encodeDate(until));
        if (person) {
          const pattern = `%${escapeLike(person)}%`;
          query = query.where((eb) =>
            eb.or([
              eb('id', '=', search!.trim()),
              eb('district_id', '=', search!.trim()),
              eb(eb.fn('lower', ['name']), 'like', sql<string>`${pattern} escape '\\'`),
              eb(eb.fn('lower', ['email']), 'like', sql<string>`${pattern} escape '\\'`),
              eb(eb.fn('lower', ['idp_id']), 'like', sql<string>`${pattern} escape '\\'`),
            ]),
          );
        }
        return withinRange(query, range).execute();
      });
      return { ...page, data: page.data.map(decode) };
    },
  };
}

/** `step@epochMs` entries joined by commas (step names hold neither character). */
function encodeSteps(steps: LoginStepTime[]): string {
  return steps.map(({ step, at }) => `${step}@${at.getTime()}`).join(',');
}

function decodeSteps(text: string | null): LoginStepTime[] {
  if (!text) return [];
  return text.split(',').map((entry) => {
    const [step, at] = entry.split('@');
    return { step: step as LoginStep, at: new Date(Number(at)) };
  });
}
