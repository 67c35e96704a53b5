import type { StoreContext } from '../store-context.ts';
import type { Store } from '../types.ts';
import { ensureSettings, settingsFromRow } from './ensure-settings.ts';
import { addRedirectUri } from './redirect-uris.ts';

/** The application's single settings row (created on first read, see {@link ensureSettings}). */
export function settingsRecords(context: StoreContext): Store['settings'] {
  const { db, values } = context;
  return {
    get: () => ensureSettings(context),

    async claimFirstCleverApp(clientId) {
      await ensureSettings(context);
      await db.updateTable('settings').set({ first_clever_client_id: clientId }).where('id', '=', 1).where('first_clever_client_id', 'is', null).execute();
    },

    async update(patch) {
      await ensureSettings(context);
      return db.transaction().execute(async (trx) => {
        // The default redirect URI is always on the allow-list.
        if (patch.defaultRedirectUri !== undefined && patch.defaultRedirectUri !== null) {
          await addRedirectUri(trx, patch.defaultRedirectUri, values.encodeDate(new Date()));
        }
        const row = await trx
          .updateTable('settings')
          .set({ default_redirect_uri: patch.defaultRedirectUri, default_role: patch.defaultRole, vendor_name: patch.vendorName, updated_at: values.encodeDate(new Date()) })
          .where('id', '=', 1)
          .returning(['client_id', 'default_redirect_uri', 'default_role', 'first_clever_client_id', 'vendor_name'])
          .executeTakeFirstOrThrow();
        return settingsFromRow(row);
      });
    },
  };
}
