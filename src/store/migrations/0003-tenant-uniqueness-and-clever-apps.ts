import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Tenant rules held by the database, and one Redirect URI per Clever app.
 *
 * - A domain belongs to one organization, and a Clever district is served by
 *   at most one active connection of each Clever app: unique indexes, so
 *   concurrent writes on several instances give one winner and a 409 for the
 *   rest (the API's checks before writing only find the holder to name).
 *   Duplicates left by earlier versions stop the upgrade with a list of what
 *   to fix; nothing is dropped silently.
 * - Each Clever app (client ID) now has its own Redirect URI, so Portal and
 *   Instant Login launches say which app sent them. The deployment's first
 *   Clever app keeps the short `/sso/clever/callback`
 *   (`settings.first_clever_client_id`): for a deployment upgraded with
 *   Clever connections that is the app it had, so the Redirect URI
 *   registered at Clever stays valid.
 * - A login remembers whose client credentials started it
 *   (`authorization_states.credentials_id`), which district-less Clever
 *   logins need once several Clever apps exist; a used state is marked
 *   (`consumed`) rather than deleted until it expires.
 */
export function tenantUniquenessAndCleverApps(): Migration {
  return {
    async up(db: Kysely<any>) {
      await refuseDuplicates(db);

      await db.schema.dropIndex('organization_domains_domain').execute();
      await db.schema.createIndex('organization_domains_domain').on('organization_domains').column('domain').unique().execute();
      await db.schema
        .createIndex('connections_clever_app_district_active')
        .on('connections')
        .columns(['client_id', 'district_id'])
        .unique()
        .where(sql.ref('connection_type'), '=', sql.lit('CleverOIDC'))
        .where(sql.ref('state'), '=', sql.lit('active'))
        .execute();

      await db.schema.alterTable('authorization_states').addColumn('credentials_id', 'text').execute();
      // A used state stays until it expires, so a callback that arrives twice (a refresh, the back button) is recognized.
      await db.schema.alterTable('authorization_states').addColumn('consumed', 'integer', (c) => c.notNull().defaultTo(0)).execute();

      await db.schema.alterTable('settings').addColumn('first_clever_client_id', 'text').execute();
      const firstApp = await db
        .selectFrom('connections')
        .select('client_id')
        .where('connection_type', '=', 'CleverOIDC')
        .where('client_id', 'is not', null)
        // The app that served logins before the upgrade: an active one if there is one.
        .orderBy(sql`case when state = 'active' then 0 else 1 end`)
        .orderBy('created_at')
        .limit(1)
        .executeTakeFirst();
      if (firstApp) await db.updateTable('settings').set({ first_clever_client_id: firstApp.client_id }).where('id', '=', 1).execute();
    },
  };
}

async function refuseDuplicates(db: Kysely<any>): Promise<void> {
  const problems: string[] = [];

  const domains = await db
    .selectFrom('organization_domains')
    .select('domain')
    .groupBy('domain')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  for (const { domain } of domains) {
    const holders = await db.selectFrom('organization_domains').select('organization_id').where('domain', '=', domain).orderBy('organization_id').execute();
    problems.push(
      `Domain ${domain} is listed ${holders.length} times (organizations ${holders.map((h) => h.organization_id).join(', ')}): ` +
        'keep it on one organization (remove it from the others with PUT /organizations/{id} on the previous Hallpass version).',
    );
  }

  const districts = await db
    .selectFrom('connections')
    .select(['client_id', 'district_id'])
    .where('connection_type', '=', 'CleverOIDC')
    .where('state', '=', 'active')
    .where('district_id', 'is not', null)
    .groupBy(['client_id', 'district_id'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  for (const { client_id, district_id } of districts) {
    const holders = await db
      .selectFrom('connections')
      .select(['id', 'organization_id'])
      .where('connection_type', '=', 'CleverOIDC')
      .where('state', '=', 'active')
      .where('client_id', '=', client_id)
      .where('district_id', '=', district_id)
      .orderBy('id')
      .execute();
    problems.push(
      `Clever district ${district_id} is served by ${holders.length} active connections of Clever app ${client_id} ` +
        `(${holders.map((h) => `${h.id} in ${h.organization_id}`).join(', ')}): ` +
        'keep one active (set the others inactive with PUT /connections/{id} {"state":"inactive"} on the previous Hallpass version).',
    );
  }

  if (problems.length > 0) {
    throw new Error(`Hallpass cannot upgrade this database: it holds data that breaks rules now enforced by the database.\n- ${problems.join('\n- ')}`);
  }
}
