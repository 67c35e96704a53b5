import type { Kysely, Migration } from 'kysely';

/** The vendor's name (application settings), shown to the customer's IT admin on setup-link pages. */
export function vendorName(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('settings').addColumn('vendor_name', 'text').execute();
    },
  };
}
