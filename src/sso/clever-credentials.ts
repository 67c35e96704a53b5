import type { Store, Connection } from '../store/types.ts';
import { HallpassError } from '../errors.ts';

/**
 * The Clever app credentials used when no district is known yet
 * (`provider=CleverOIDC`, and logins started at the Clever Portal or an
 * Instant Login link). Every active Clever connection normally shares one
 * Clever app; if they name several, Hallpass cannot tell which app a
 * district-less login belongs to, and says so.
 */
export async function cleverCredentials(store: Store): Promise<Connection> {
  // Two rows are enough to tell one Clever app from several.
  const apps = await store.connections.activeCleverApps(2);
  if (apps.length === 0) {
    throw new HallpassError('connection_invalid', 'No active Clever connection is configured.');
  }
  if (apps.length > 1) {
    throw new HallpassError(
      'invalid_connection_selector',
      'Active Clever connections use different Clever apps, so a login without a district cannot be routed. Use one Clever app for all districts, or start logins with an organization or connection.',
    );
  }
  return apps[0]!;
}
