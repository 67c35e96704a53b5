import type { ColumnType } from 'kysely';
import type { DbBoolean, DbTimestamp } from './dialect.ts';

/**
 * The tables as Kysely sees them (snake_case, values as stored). The row mappers
 * in `records/` turn them into the domain types of `types.ts`, decoding dates,
 * booleans and JSON through the dialect's codec.
 */

type Timestamp = ColumnType<DbTimestamp, DbTimestamp, DbTimestamp>;
type Bool = ColumnType<DbBoolean, DbBoolean, DbBoolean>;
/** Written as JSON text; read back as text (SQLite) or parsed (PostgreSQL `json`). */
type Json = ColumnType<unknown, string, string>;
type NullableTimestamp = ColumnType<DbTimestamp | null, DbTimestamp | null, DbTimestamp | null>;
type NullableJson = ColumnType<unknown, string | null, string | null>;

export interface SettingsTable {
  /** Always 1: one deployment serves one application. */
  id: number;
  client_id: string;
  default_redirect_uri: string | null;
  default_role: string;
  /** The Clever app that keeps the deployment-wide `/sso/clever/callback` (deployments upgraded from one Clever app). */
  first_clever_client_id: string | null;
  vendor_name: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RedirectUrisTable {
  uri: string;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  last_four: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  external_id: string | null;
  allow_profiles_outside_organization: Bool;
  metadata: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganizationDomainsTable {
  id: string;
  organization_id: string;
  domain: string;
  state: string;
  /** Keeps the order in which the domains were given. */
  position: number;
}

export interface ConnectionsTable {
  id: string;
  organization_id: string;
  connection_type: string;
  name: string;
  state: string;
  client_id: string | null;
  client_secret_encrypted: string | null;
  discovery_endpoint: string | null;
  district_id: string | null;
  role_mappings: Json;
  validation_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LoginAttemptsTable {
  id: string;
  connection_id: string | null;
  organization_id: string | null;
  initiated_by: string;
  step: string;
  outcome: string;
  error_code: string | null;
  error_description: string | null;
  upstream_error: string | null;
  district_id: string | null;
  idp_id: string | null;
  email: string | null;
  /** Added by migration 0005. */
  name: string | null;
  claims: NullableJson;
  /** `step@epochMs` entries joined by commas, appended to in SQL (no read before the write). */
  steps: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AuthorizationStatesTable {
  state: string;
  connection_id: string | null;
  connection_type: string;
  browser_binding_hash: string;
  nonce: string;
  code_verifier: string;
  app_redirect_uri: string;
  app_state: string | null;
  app_code_challenge: string | null;
  login_attempt_id: string;
  credentials_id: string | null;
  /** 1 once the callback used it; kept until expiry to recognize a second arrival. */
  consumed: ColumnType<number, number | undefined, number>;
  record_attempt_on_return: string | null;
  expires_at: Timestamp;
}

export interface AuthorizationCodesTable {
  code_hash: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string | null;
  profile: Json;
  login_attempt_id: string;
  expires_at: Timestamp;
}

export interface AccessTokensTable {
  token_hash: string;
  profile: Json;
  expires_at: Timestamp;
}

export interface IdempotencyKeysTable {
  key: string;
  fingerprint: string;
  /** Held by the request working on the key; null once answered. */
  claim_token: string | null;
  /** Null while the first request is in flight. */
  response_status: number | null;
  response_body: NullableJson;
  expires_at: Timestamp;
}

/** Requests that left no login attempt, counted per hour and reason. */
export interface LoginCountersTable {
  hour: Timestamp;
  reason: string;
  count: number;
}

export interface AdminsTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: Timestamp;
  last_sign_in_at: NullableTimestamp;
}

export interface AdminSessionsTable {
  id_hash: string;
  admin_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface AdminInvitesTable {
  token_hash: string;
  email: string;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface AdminSignInFailuresTable {
  key: string;
  failures: number;
  first_failure_at: Timestamp;
  last_failure_at: Timestamp;
}

export interface AuditLogTable {
  id: string;
  at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  changes: Json;
}

export interface SetupLinksTable {
  id: string;
  organization_id: string;
  token_hash: string;
  intent: string;
  made_through: string;
  clever_client_id: string | null;
  return_url: string | null;
  success_url: string | null;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  first_opened_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface Database {
  settings: SettingsTable;
  redirect_uris: RedirectUrisTable;
  api_keys: ApiKeysTable;
  organizations: OrganizationsTable;
  organization_domains: OrganizationDomainsTable;
  connections: ConnectionsTable;
  login_attempts: LoginAttemptsTable;
  authorization_states: AuthorizationStatesTable;
  authorization_codes: AuthorizationCodesTable;
  access_tokens: AccessTokensTable;
  idempotency_keys: IdempotencyKeysTable;
  login_counters: LoginCountersTable;
  admins: AdminsTable;
  admin_sessions: AdminSessionsTable;
  admin_invites: AdminInvitesTable;
  admin_sign_in_failures: AdminSignInFailuresTable;
  audit_log: AuditLogTable;
  setup_links: SetupLinksTable;
}
