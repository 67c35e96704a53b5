import type { Store, Connection } from '../store/types.ts';
import { HallpassError } from '../errors.ts';

/**
 * The Clever app credentials used when no district is known yet
 * (`provider=CleverOIDC`, and logins started at the Clever Portal or an
 * Instant Login link): those of the Clever app named by its client ID (the
 * Redirect URI a launch arrived at, or the app's choice at /sso/authorize),
 * or, when none is named, of the deployment's first Clever app, or its only one.
 */
export async function cleverCredentials(store: Store, cleverClientId?: string): Promise<Connection> {
  if (cleverClientId === undefined) {
    const { firstCleverClientId } = await store.settings.get();
    const first = firstCleverClientId === null ? undefined : await store.connections.findActiveCleverApp(firstCleverClientId);
    if (first) return first;
  } else {
    const app = await store.connections.findActiveCleverApp(cleverClientId);
    if (!app) throw new HallpassError('connection_invalid', `No active Clever connection uses the Clever app ${cleverClientId}.`);
    return app;
  }
  // Two rows are enough to tell one Clever app from several.
  const apps = await store.connections.activeCleverApps(2);
  if (apps.length === 0) {
    throw new HallpassError('connection_invalid', 'No active Clever connection is configured.');
  }
  if (apps.length > 1) {
    throw new HallpassError(
      'invalid_connection_selector',
      'Several Clever apps are configured and the first one has no active connection, so a login without a district must say which app: give its Clever client ID as provider_query_params[client_id], or start the login with an organization or connection.',
    );
  }
  return apps[0]!;
}
