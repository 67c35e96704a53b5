/**
 * A connection's state after a save (issue 3, "Connection states"):
 *
 * - `inactive` while disabled, whatever its settings;
 * - `draft` while settings are missing, or when its discovery endpoint failed
 *   validation (the reason is kept in `validation_error`);
 * - `active` once complete settings have validated. A live connection is
 *   validated again only when something the IdP sees changed.
 */
import { missingSettings } from '../connections/settings.ts';
import { validateDiscoveryEndpoint } from '../connections/validate-discovery.ts';
import type { Connection, ConnectionState } from '../store/types.ts';
import type { ConnectionSettings } from './connection-input.ts';

export interface SettleOptions {
  /** The connection as stored before this save; none when creating. */
  previous: Pick<Connection, 'state'> | undefined;
  /** Whether the connection is to be disabled. */
  disabled: boolean;
  /** Whether settings the IdP sees changed in this save. */
  settingsChanged: boolean;
  timeoutMs: number;
  requireHttps: boolean;
}

export interface SettledState {
  state: ConnectionState;
  validationError: string | null;
}

/** Decides the state to store with `settings`, validating the discovery endpoint when that decision needs it. */
export async function settleConnectionState(settings: ConnectionSettings, options: SettleOptions): Promise<SettledState> {
  if (options.disabled) return { state: 'inactive', validationError: null };
  // Incomplete settings speak for themselves through `missing_settings`.
  // (The null check repeats one of missingSettings' for the type checker.)
  if (missingSettings(settings).length > 0 || settings.discoveryEndpoint === null) return { state: 'draft', validationError: null };
  if (options.previous?.state === 'active' && !options.settingsChanged) return { state: 'active', validationError: null };
  const result = await validateDiscoveryEndpoint(settings.discoveryEndpoint, { timeoutMs: options.timeoutMs, requireHttps: options.requireHttps });
  return result.ok ? { state: 'active', validationError: null } : { state: 'draft', validationError: result.reason };
}
