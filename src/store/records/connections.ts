import type { Insertable, Selectable, Updateable } from 'kysely';
import { HallpassError } from '../../errors.ts';
import { paginate, withinRange } from '../pagination.ts';
import type { ConnectionsTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { Connection, ConnectionState, ConnectionType, Store } from '../types.ts';
import { ifDefined } from './if-defined.ts';

type ConnectionFields = Omit<Connection, 'id' | 'createdAt' | 'updatedAt'>;

/** Connections to identity providers; role mappings are a JSON column, read with the row. */
export function connectionRecords({ db, values, isUniqueViolation }: StoreContext): Store['connections'] {
  /**
   * A write that would make a second active connection of one Clever app serve
   * a district loses to the database's unique index (whatever the API checked
   * before writing, concurrent requests on several instances can both pass the
   * check): a conflict, not a server error. No query follows the violation: inside
   * a transaction PostgreSQL refuses every statement after an error.
   */
  async function guarded<T>(fields: Partial<ConnectionFields>, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const district = fields.districtId ? `Clever district ${fields.districtId}` : 'This Clever district';
      throw new HallpassError('conflict', `${district} is already served by another active connection of this Clever app; disable that one first.`, { cause: error });
    }
  }

  function encode(fields: ConnectionFields): Omit<Insertable<ConnectionsTable>, 'id' | 'created_at' | 'updated_at'>;
  function encode(fields: Partial<ConnectionFields>): Updateable<ConnectionsTable>;
  function encode(fields: Partial<ConnectionFields>): Updateable<ConnectionsTable> {
    return {
      organization_id: fields.organizationId,
      connection_type: fields.connectionType,
      name: fields.name,
      state: fields.state,
      client_id: fields.clientId,
      client_secret_encrypted: fields.clientSecretEncrypted,
      discovery_endpoint: fields.discoveryEndpoint,
      district_id: fields.districtId,
      role_mappings: ifDefined(fields.roleMappings, values.encodeJson),
      validation_error: fields.validationError,
    };
  }

  function decode(row: Selectable<ConnectionsTable>): Connection {
    return {
      id: row.id,
      organizationId: row.organization_id,
      connectionType: row.connection_type as ConnectionType,
      name: row.name,
      state: row.state as ConnectionState,
      clientId: row.client_id,
      clientSecretEncrypted: row.client_secret_encrypted,
      discoveryEndpoint: row.discovery_endpoint,
      districtId: row.district_id,
      roleMappings: values.decodeJson(row.role_mappings),
      validationError: row.validation_error,
      createdAt: values.decodeDate(row.created_at),
      updatedAt: values.decodeDate(row.updated_at),
    };
  }

  return {
    async create(conn) {
      const now = new Date();
      await guarded(conn, () =>
        db
          .insertInto('connections')
          .values({ id: conn.id, ...encode(conn), created_at: values.encodeDate(now), updated_at: values.encodeDate(now) })
          .execute(),
      );
      return { ...conn, createdAt: now, updatedAt: now };
    },

    async find(id) {
      const row = await db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : decode(row);
    },

    async list({ organizationId, connectionType, state, domain, ...options }) {
      const page = await paginate(options, (range) => {
        let query = db.selectFrom('connections').selectAll();
        if (organizationId !== undefined) query = query.where('organization_id', '=', organizationId);
        if (connectionType !== undefined) query = query.where('connection_type', '=', connectionType);
        if (state !== undefined) query = query.where('state', '=', state);
        if (domain !== undefined) {
          query = query.where('organization_id', 'in', db.selectFrom('organization_domains').select('organization_id').where('domain', '=', domain));
        }
        return withinRange(query, range).execute();
      });
      return { ...page, data: page.data.map(decode) };
    },

    async findActiveCleverByDistrict(districtId) {
      const rows = await db
        .selectFrom('connections')
        .selectAll()
        .where('connection_type', '=', 'CleverOIDC')
        .where('state', '=', 'active')
        .where('district_id', '=', districtId)
        .orderBy('id')
        .execute();
      return rows.map(decode);
    },

    async findFirstActive(organizationId) {
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('state', '=', 'active')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : decode(row);
    },

    async activeCleverApps(limit) {
      // The oldest active connection of each Clever client ID; the database does the grouping,
      // so a deployment with thousands of districts still sends back `limit` rows.
      const rows = await db
        .selectFrom('connections')
        .selectAll()
        .where('id', 'in', (qb) =>
          qb
            .selectFrom('connections')
            .select((eb) => eb.fn.min('id').as('id'))
            .where('connection_type', '=', 'CleverOIDC')
            .where('state', '=', 'active')
            .groupBy('client_id'),
        )
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(decode);
    },

    async findActiveCleverApp(clientId) {
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('connection_type', '=', 'CleverOIDC')
        .where('state', '=', 'active')
        .where('client_id', '=', clientId)
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : decode(row);
    },

    async update(id, patch) {
      const row = await guarded(patch, () =>
        db
          .updateTable('connections')
          .set({ ...encode(patch), updated_at: values.encodeDate(new Date()) })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst(),
      );
      return row === undefined ? undefined : decode(row);
    },

    async destroy(id) {
      const result = await db.deleteFrom('connections').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
