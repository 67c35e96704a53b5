import { newId } from '../../ids.ts';
import type { StoreContext } from '../store-context.ts';
import type { ApplicationSettings } from '../types.ts';

/** The role given when no role mapping matches, unless the application sets another. */
const DEFAULT_ROLE = 'member';

/**
 * Reads the settings row, creating it with a fresh client ID the first time.
 * Whichever instance gets there first creates it (`ON CONFLICT DO NOTHING`),
 * and every instance then reads the same client ID.
 */
export async function ensureSettings({ db, values }: StoreContext): Promise<ApplicationSettings> {
  const read = () => db.selectFrom('settings').select(['client_id', 'default_redirect_uri', 'default_role', 'first_clever_client_id', 'vendor_name']).where('id', '=', 1).executeTakeFirst();
  let row = await read();
  if (row === undefined) {
    const now = values.encodeDate(new Date());
    await db
      .insertInto('settings')
      .values({ id: 1, client_id: newId('client'), default_redirect_uri: null, default_role: DEFAULT_ROLE, first_clever_client_id: null, vendor_name: null, created_at: now, updated_at: now })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
    row = await read();
    if (row === undefined) throw new Error('The settings row vanished right after it was created.');
  }
  return settingsFromRow(row);
}

/** The settings row as the domain sees it. */
export function settingsFromRow(row: { client_id: string; default_redirect_uri: string | null; default_role: string; first_clever_client_id: string | null; vendor_name: string | null }): ApplicationSettings {
  return { clientId: row.client_id, defaultRedirectUri: row.default_redirect_uri, defaultRole: row.default_role, firstCleverClientId: row.first_clever_client_id, vendorName: row.vendor_name };
}
