import { sql, type Selectable } from 'kysely';
import { newId } from '../../ids.ts';
import { paginate, withinRange } from '../pagination.ts';
import type { AuditLogTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { AuditActorType, AuditChanges, AuditEntry, Store } from '../types.ts';

/** The audit log: written once per change, never updated; read newest first with filters. */
export function auditLogRecords({ db, values }: StoreContext): Store['auditLog'] {
  function decode(row: Selectable<AuditLogTable>): AuditEntry {
    return {
      id: row.id,
      at: values.decodeDate(row.at),
      actor: { type: row.actor_type as AuditActorType, id: row.actor_id, name: row.actor_name },
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      changes: values.decodeJson<AuditChanges>(row.changes),
    };
  }

  return {
    async record(entry) {
      const recorded: AuditEntry = { ...entry, id: newId('audit'), at: new Date() };
      await db
        .insertInto('audit_log')
        .values({
          id: recorded.id,
          at: values.encodeDate(recorded.at),
          actor_type: entry.actor.type,
          actor_id: entry.actor.id,
          actor_name: entry.actor.name,
          action: entry.action,
          target_type: entry.targetType,
          target_id: entry.targetId,
          changes: values.encodeJson(entry.changes),
        })
        .execute();
      return recorded;
    },

    async list({ actorType, actorId, actorName, action, targetType, targetId, since, until, ...options }) {
      const page = await paginate(options, (range) => {
        let query = db.selectFrom('audit_log').selectAll();
        if (actorType !== undefined) query = query.where('actor_type', '=', actorType);
        if (actorId !== undefined) query = query.where('actor_id', '=', actorId);
        if (actorName !== undefined) {
          const pattern = `%${actorName.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          query = query.where((eb) => eb(eb.fn('lower', ['actor_name']), 'like', sql<string>`${pattern} escape '\\'`));
        }
        // `organization` matches `organization.created`, `organization.updated`, …
        if (action !== undefined) query = action.includes('.') ? query.where('action', '=', action) : query.where('action', 'like', `${action}.%`);
        if (targetType !== undefined) query = query.where('target_type', '=', targetType);
        if (targetId !== undefined) query = query.where('target_id', '=', targetId);
        if (since !== undefined) query = query.where('at', '>=', values.encodeDate(since));
        if (until !== undefined) query = query.where('at', '<', values.encodeDate(until));
        return withinRange(query, range).execute();
      });
      return { ...page, data: page.data.map(decode) };
    },
  };
}
