import { sql } from 'kysely';
import type { StoreContext } from '../store-context.ts';
import type { CleverApp, Store, UnservedDistrict } from '../types.ts';

/**
 * Which organization serves each Clever district, and which districts sign in
 * without being served, for the admin's Clever page. Both are computed from
 * the connections and the sign-in log; nothing is stored twice.
 */
export function cleverDistrictRecords({ db, values }: StoreContext): Store['cleverDistricts'] {
  return {
    async served() {
      const rows = await db
        .selectFrom('connections')
        .innerJoin('organizations', 'organizations.id', 'connections.organization_id')
        .select(['connections.id as connection_id', 'connections.client_id', 'connections.district_id', 'organizations.id as organization_id', 'organizations.name as organization_name'])
        .where('connections.connection_type', '=', 'CleverOIDC')
        .where('connections.state', '=', 'active')
        .where('connections.client_id', 'is not', null)
        .where('connections.district_id', 'is not', null)
        .orderBy('connections.client_id')
        .orderBy('organizations.name')
        .orderBy('connections.id')
        .execute();
      const apps = new Map<string, CleverApp>();
      for (const row of rows) {
        const clientId = row.client_id!;
        let app = apps.get(clientId);
        if (!app) apps.set(clientId, (app = { clientId, districts: [] }));
        app.districts.push({ districtId: row.district_id!, organizationId: row.organization_id, organizationName: row.organization_name, connectionId: row.connection_id });
      }
      return [...apps.values()];
    },

    async unserved(limit) {
      const rows = await db
        .selectFrom('login_attempts')
        .select((eb) => ['district_id', eb.fn.countAll<number | string | bigint>().as('sign_ins'), eb.fn.max('created_at').as('last_at')])
        .where('district_id', 'is not', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('connections')
                .select(sql`1`.as('one'))
                .whereRef('connections.district_id', '=', 'login_attempts.district_id')
                .where('connections.connection_type', '=', 'CleverOIDC')
                .where('connections.state', '=', 'active'),
            ),
          ),
        )
        .groupBy('district_id')
        .orderBy('last_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row): UnservedDistrict => ({
        districtId: row.district_id!,
        signIns: Number(row.sign_ins),
        lastAt: values.decodeDate(row.last_at as Date | number),
      }));
    },
  };
}
