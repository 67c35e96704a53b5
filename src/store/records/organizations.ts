import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely';
import { HallpassError } from '../../errors.ts';
import { paginate, withinRange } from '../pagination.ts';
import type { Database, OrganizationDomainsTable, OrganizationsTable } from '../schema.ts';
import type { StoreContext } from '../store-context.ts';
import type { Organization, OrganizationDomain, Store } from '../types.ts';
import { ifDefined } from './if-defined.ts';
import { escapeLike } from './escape-like.ts';

type OrganizationFields = Omit<Organization, 'id' | 'domains' | 'createdAt' | 'updatedAt'>;

/**
 * Organizations and their domains. Domains live in their own indexed table, so
 * the `domains` filter is an exact, indexed match on any of them; a page of
 * organizations loads its domains with one more query, never one per row.
 */
export function organizationRecords({ db, values, isUniqueViolation }: StoreContext): Store['organizations'] {
  /**
   * Writes an organization; losing the race for an external_id or a domain (two
   * writes with one value at once, on any instances) is a conflict, not a server error.
   */
  async function inTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    try {
      // Inside a caller's transaction (Store.transaction), the writes join it.
      return await (db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work));
    } catch (error) {
      if (isUniqueViolation(error)) {
        // Both drivers name the violated index or column (`organization_domains_domain`, `organization_domains.domain`).
        const { message, constraint } = error as { message?: unknown; constraint?: unknown };
        const what = /domain/.test(`${String(message)} ${String(constraint)}`) ? 'one of these domains' : 'this external_id';
        throw new HallpassError('conflict', `Another organization already uses ${what}.`, { cause: error });
      }
      throw error;
    }
  }

  function encode(fields: OrganizationFields): Omit<Insertable<OrganizationsTable>, 'id' | 'created_at' | 'updated_at'>;
  function encode(fields: Partial<OrganizationFields>): Updateable<OrganizationsTable>;
  function encode(fields: Partial<OrganizationFields>): Updateable<OrganizationsTable> {
    return {
      name: fields.name,
      external_id: fields.externalId,
      allow_profiles_outside_organization: ifDefined(fields.allowProfilesOutsideOrganization, values.encodeBoolean),
      metadata: ifDefined(fields.metadata, values.encodeJson),
    };
  }

  function decode(row: Selectable<OrganizationsTable>, domains: OrganizationDomain[]): Organization {
    return {
      id: row.id,
      name: row.name,
      externalId: row.external_id,
      allowProfilesOutsideOrganization: values.decodeBoolean(row.allow_profiles_outside_organization),
      domains,
      metadata: values.decodeJson(row.metadata),
      createdAt: values.decodeDate(row.created_at),
      updatedAt: values.decodeDate(row.updated_at),
    };
  }

  function domainRows(organizationId: string, domains: OrganizationDomain[]): Insertable<OrganizationDomainsTable>[] {
    return domains.map((d, position) => ({ id: d.id, organization_id: organizationId, domain: d.domain, state: d.state, position }));
  }

  async function withDomains(rows: Selectable<OrganizationsTable>[]): Promise<Organization[]> {
    if (rows.length === 0) return [];
    const domains = await db
      .selectFrom('organization_domains')
      .selectAll()
      .where('organization_id', 'in', rows.map((r) => r.id))
      .orderBy('organization_id')
      .orderBy('position')
      .execute();
    const byOrganization = Map.groupBy(domains, (d) => d.organization_id);
    return rows.map((row) => decode(row, (byOrganization.get(row.id) ?? []).map(decodeDomain)));
  }

  async function find(id: string): Promise<Organization | undefined> {
    const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : (await withDomains([row]))[0];
  }

  return {
    async create(org) {
      const now = new Date();
      await inTransaction(async (trx) => {
        await trx
          .insertInto('organizations')
          .values({ id: org.id, ...encode(org), created_at: values.encodeDate(now), updated_at: values.encodeDate(now) })
          .execute();
        if (org.domains.length > 0) await trx.insertInto('organization_domains').values(domainRows(org.id, org.domains)).execute();
      });
      return { ...org, createdAt: now, updatedAt: now };
    },

    find,

    async domainPolicy(id) {
      // One query for just the two things a login checks, not the whole organization.
      const rows = await db
        .selectFrom('organizations')
        .leftJoin('organization_domains', 'organization_domains.organization_id', 'organizations.id')
        .select(['organizations.allow_profiles_outside_organization', 'organization_domains.domain'])
        .where('organizations.id', '=', id)
        .orderBy('organization_domains.position')
        .execute();
      const [first] = rows;
      if (first === undefined) return undefined;
      return {
        allowProfilesOutsideOrganization: values.decodeBoolean(first.allow_profiles_outside_organization),
        domains: rows.flatMap((row) => (row.domain === null ? [] : [row.domain.toLowerCase()])),
      };
    },

    async findByExternalId(externalId) {
      const row = await db.selectFrom('organizations').selectAll().where('external_id', '=', externalId).executeTakeFirst();
      return row === undefined ? undefined : (await withDomains([row]))[0];
    },

    async list({ domains, search, ...options }) {
      const page = await paginate(options, (range) => {
        let query = db.selectFrom('organizations').selectAll();
        if (domains !== undefined && domains.length > 0) {
          query = query.where('id', 'in', db.selectFrom('organization_domains').select('organization_id').where('domain', 'in', domains));
        }
        if (search !== undefined && search !== '') {
          // A case-insensitive substring of the name or of any domain; % and _ typed by a person are literal.
          const pattern = `%${escapeLike(search.toLowerCase())}%`;
          query = query.where((eb) =>
            eb.or([
              sql<boolean>`lower(organizations.name) like ${pattern} escape '\\'`,
              eb('id', 'in', db.selectFrom('organization_domains').select('organization_id').where(sql<boolean>`domain like ${pattern} escape '\\'`)),
            ]),
          );
        }
        return withinRange(query, range).execute();
      });
      return { ...page, data: await withDomains(page.data) };
    },

    async update(id, patch) {
      const row = await inTransaction(async (trx) => {
        const updated = await trx
          .updateTable('organizations')
          .set({ ...encode(patch), updated_at: values.encodeDate(new Date()) })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (updated !== undefined && patch.domains !== undefined) {
          await trx.deleteFrom('organization_domains').where('organization_id', '=', id).execute();
          if (patch.domains.length > 0) await trx.insertInto('organization_domains').values(domainRows(id, patch.domains)).execute();
        }
        return updated;
      });
      return row === undefined ? undefined : (await withDomains([row]))[0];
    },

    async destroy(id) {
      // Domains and connections go with it (ON DELETE CASCADE).
      const result = await db.deleteFrom('organizations').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function decodeDomain(row: Selectable<OrganizationDomainsTable>): OrganizationDomain {
  return { id: row.id, domain: row.domain, state: row.state as OrganizationDomain['state'] };
}
