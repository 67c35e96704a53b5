/**
 * The storage contract: a few domain verbs per record type, implemented once
 * over Kysely for SQLite (node:sqlite) and PostgreSQL. Nothing here knows HTTP.
 *
 * Times are JavaScript `Date`s at the boundary; IDs are prefixed strings made by
 * the caller (`org_…`, `conn_…`) so logs and API objects read the same.
 * One-time things (`authorizationStates.consume`, `codes.consume`) are a single
 * atomic statement, so several Hallpass instances sharing PostgreSQL behave as one.
 */

export type ConnectionType = 'CleverOIDC' | 'GenericOIDC';
export type ConnectionState = 'draft' | 'active' | 'inactive';

export interface OrganizationDomain {
  id: string;
  domain: string;
  state: 'verified' | 'pending';
}

export interface Organization {
  id: string;
  name: string;
  externalId: string | null;
  allowProfilesOutsideOrganization: boolean;
  domains: OrganizationDomain[];
  metadata: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

/** Which email domains an organization's profiles may have. */
export interface DomainPolicy {
  allowProfilesOutsideOrganization: boolean;
  /** Lowercase. */
  domains: string[];
}

export interface RoleMapping {
  /** The IdP's group ID (the value found in the `groups` claim). */
  group: string;
  /** The application's role slug. */
  role: string;
}

export interface Connection {
  id: string;
  organizationId: string;
  connectionType: ConnectionType;
  name: string;
  state: ConnectionState;
  clientId: string | null;
  /** Encrypted with the deployment's secret key; decrypted only where a token request is made. */
  clientSecretEncrypted: string | null;
  discoveryEndpoint: string | null;
  /** Clever only: the district this connection serves. */
  districtId: string | null;
  /** In priority order: the first mapping that matches decides `role`. */
  roleMappings: RoleMapping[];
  /** Why the last validation failed, shown to the admin while the connection is `draft`. */
  validationError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApplicationSettings {
  clientId: string;
  defaultRedirectUri: string | null;
  defaultRole: string;
  /**
   * The deployment's first Clever app (client ID), whose Redirect URI is the
   * short `/sso/clever/callback`; every later Clever app gets its own
   * `/sso/clever/callback/{client_id}`. Null until a Clever connection has a client ID.
   */
  firstCleverClientId: string | null;
  /** The vendor's (this application's) name, shown on setup-link pages; null: not set. */
  vendorName: string | null;
}

export interface RedirectUri {
  uri: string;
  isDefault: boolean;
  createdAt: Date;
}

export interface ApiKey {
  id: string;
  name: string;
  /** Last four characters, for display. */
  lastFour: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** `setup`: a test sign-in (or Clever district join) from a setup link's pages. */
export type LoginInitiator = 'app' | 'idp' | 'test' | 'setup';
export type LoginStep = 'authorize' | 'upstream_redirect' | 'callback' | 'token_exchange' | 'id_token' | 'userinfo' | 'profile' | 'organization' | 'code_issued' | 'code_redeemed';
/** `abandoned`: the person never came back from the IdP, or the app never redeemed its code. */
export type LoginOutcome = 'pending' | 'succeeded' | 'failed' | 'abandoned';

export interface LoginAttempt {
  id: string;
  connectionId: string | null;
  organizationId: string | null;
  initiatedBy: LoginInitiator;
  step: LoginStep;
  outcome: LoginOutcome;
  errorCode: string | null;
  errorDescription: string | null;
  /** The IdP's own `error` (and description), verbatim. */
  upstreamError: string | null;
  districtId: string | null;
  idpId: string | null;
  email: string | null;
  /** The person's name as the IdP gave it, once it said who signed in. */
  name?: string | null;
  /** The decoded ID-token (and userinfo / Data API) claims, once the IdP answered. */
  claims?: Record<string, unknown> | null;
  /**
   * The steps reached, with their times. Always filled when read; in `update`,
   * steps given here are appended (before the patch's own `step`, which is appended with the write's time).
   */
  steps?: LoginStepTime[];
  createdAt: Date;
  updatedAt: Date;
}

export interface LoginStepTime {
  step: LoginStep;
  at: Date;
}

/** Filters of the sign-in sessions list; every one optional. */
export interface LoginAttemptFilters {
  connectionId?: string;
  organizationId?: string;
  outcome?: LoginOutcome;
  /** Started at or after. */
  since?: Date;
  /** Started before. */
  until?: Date;
  /** The reference (the attempt's ID) or a district ID exactly, or part of the person's name, email or IdP ID (any case). */
  search?: string;
}

/** Which organization serves each district of one Clever app (client ID). */
export interface CleverApp {
  clientId: string;
  districts: { districtId: string; organizationId: string; organizationName: string; connectionId: string }[];
}

/** Sign-ins from a Clever district that no active connection serves. */
export interface UnservedDistrict {
  districtId: string;
  signIns: number;
  lastAt: Date;
}

export type AuditActorType = 'admin' | 'api_key' | 'setup_link' | 'system';

export interface AuditActor {
  type: AuditActorType;
  /** The admin's, API key's or setup link's ID; null for the system. */
  id: string | null;
  /** The name at the time of the change (an API key's name, an admin's email). */
  name: string;
}

/** What changed, field by field. Secrets appear only as "set", "changed" or "removed". */
export type AuditChanges = Record<string, { from?: unknown; to?: unknown }>;

export interface AuditEntry {
  id: string;
  at: Date;
  actor: AuditActor;
  /** `<target type>.<verb>`, e.g. `organization.created`, `api_key.revoked`. */
  action: string;
  targetType: string;
  targetId: string | null;
  changes: AuditChanges;
}

export interface AuditFilters {
  actorType?: AuditActorType;
  actorId?: string;
  /** Part of the actor's name (an admin's email, an API key's name), any case. */
  actorName?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
}

/** A login in flight between Hallpass and the IdP (steps 2–4). */
export interface AuthorizationState {
  /** The `state` value sent to the IdP (stored hashed is unnecessary: it is public). */
  state: string;
  /** Null for `provider=CleverOIDC` logins, where the user's district picks the connection. */
  connectionId: string | null;
  connectionType: ConnectionType;
  /** Hash of the browser-binding cookie value; the callback must present the same cookie. */
  browserBindingHash: string;
  nonce: string;
  codeVerifier: string;
  /** Where and how to answer the app afterwards. */
  appRedirectUri: string;
  appState: string | null;
  appCodeChallenge: string | null;
  loginAttemptId: string;
  /**
   * The connection whose client credentials talk to the IdP: the login's own
   * connection, or for district-less Clever logins one of the Clever app's.
   * Null only in states saved before this column existed.
   */
  credentialsId: string | null;
  /**
   * Set for logins started without a known connection (at the IdP, or
   * `provider=CleverOIDC`): their attempt is recorded only when the browser
   * comes back, as started by this initiator, so requests that never return
   * leave no row.
   */
  recordAttemptOnReturn?: LoginInitiator | null;
  expiresAt: Date;
}

/** The normalized profile, exactly as the app will receive it (WorkOS shape, snake_case). */
export interface Profile {
  object: 'profile';
  id: string;
  idp_id: string;
  organization_id: string | null;
  connection_id: string;
  connection_type: ConnectionType;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  role: { slug: string } | null;
  roles: { slug: string }[];
  groups: string[];
  custom_attributes: Record<string, unknown>;
  raw_attributes: Record<string, unknown>;
}

/** A Hallpass authorization code for the app (step 5), single use, 10 minutes. */
export interface AuthorizationCode {
  /** Only the SHA-256 of the code is stored. */
  codeHash: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  profile: Profile;
  loginAttemptId: string;
  expiresAt: Date;
}

export interface AccessToken {
  tokenHash: string;
  profile: Profile;
  expiresAt: Date;
}

export interface IdempotentResponse {
  status: number;
  body: unknown;
}

/** How many requests of one kind, which left no login attempt, arrived in an hour. */
export interface LoginCount {
  /** The start of the hour. */
  hour: Date;
  /** What happened, e.g. `authorize:invalid_client`, `callback:unknown_state`. */
  reason: string;
  count: number;
}

/** How long the login history is kept: attempts created before the first date are deleted, personal data before the second blanked. */
export interface LoginRetention {
  deleteBefore: Date;
  blankPersonalDataBefore: Date;
}

/** A dashboard admin account (email and password; the hash never leaves the store but for checking). */
export interface Admin {
  id: string;
  /** Lower-case. */
  email: string;
  createdAt: Date;
  lastSignInAt: Date | null;
}

/** A signed-in dashboard session; only the SHA-256 of the cookie's value is stored. */
export interface AdminSession {
  idHash: string;
  adminId: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** The absolute end of the session, whatever its activity. */
  expiresAt: Date;
}

/** A one-time invitation for someone to become an admin. */
export interface AdminInvite {
  tokenHash: string;
  /** Lower-case. */
  email: string;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Wrong passwords counted under one key (`account:<email>` or `address:<ip>`). */
export interface SignInFailures {
  key: string;
  failures: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
}

export interface Page<T> {
  data: T[];
  /** Cursor IDs for WorkOS-style `before` / `after` pagination. */
  before: string | null;
  after: string | null;
}

export interface ListOptions {
  limit: number;
  before?: string;
  after?: string;
  order: 'asc' | 'desc';
}

/** A link through which a customer's IT admin sets up their organization's connection (issue 7). */
export interface SetupLink {
  id: string;
  organizationId: string;
  intent: 'sso';
  /** `api` links live 5 minutes until first opened; `dashboard` links a set number of days. */
  madeThrough: 'api' | 'dashboard';
  /** The Clever app (client ID) a Clever district joins through; null: the deployment's first or only one. */
  cleverClientId: string | null;
  returnUrl: string | null;
  successUrl: string | null;
  /** Who made it, as the audit log names them. */
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  firstOpenedAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  settings: {
    /** Creates the single settings row on first call (with a fresh client ID). */
    /** `fresh`: read past any per-instance cache (a value another instance may just have written). */
    get(options?: { fresh?: boolean }): Promise<ApplicationSettings>;
    update(patch: Partial<Omit<ApplicationSettings, 'clientId' | 'firstCleverClientId'>>): Promise<ApplicationSettings>;
    /** Records `clientId` as the deployment's first Clever app, unless one is recorded already (atomic). */
    claimFirstCleverApp(clientId: string): Promise<void>;
  };

  redirectUris: {
    list(): Promise<RedirectUri[]>;
    /** Idempotent; `isDefault` moves the default flag to this URI. */
    add(uri: string, isDefault: boolean): Promise<RedirectUri>;
    remove(uri: string): Promise<boolean>;
  };

  apiKeys: {
    create(key: { id: string; name: string; hash: string; lastFour: string }): Promise<ApiKey>;
    /** Finds by hash and stamps `lastUsedAt` (at most once a minute per key, so busy keys don't serialize writes). */
    findByHash(hash: string): Promise<ApiKey | undefined>;
    list(): Promise<ApiKey[]>;
    revoke(id: string): Promise<boolean>;
  };

  organizations: {
    create(org: Omit<Organization, 'createdAt' | 'updatedAt'>): Promise<Organization>;
    find(id: string): Promise<Organization | undefined>;
    findByExternalId(externalId: string): Promise<Organization | undefined>;
    /**
     * What a login checks a profile's email against. Cached by each instance for
     * a few seconds (see read-cache.ts): it is read at every login.
     */
    domainPolicy(id: string): Promise<DomainPolicy | undefined>;
    /** `search`: a case-insensitive part of the name or of a domain (the dashboard's search box). */
    list(options: ListOptions & { domains?: string[]; search?: string }): Promise<Page<Organization>>;
    /** Replaces the given fields; `domains`, when given, replaces the whole list. */
    update(id: string, patch: Partial<Omit<Organization, 'id' | 'createdAt' | 'updatedAt'>>): Promise<Organization | undefined>;
    /** Deletes the organization and its connections. */
    destroy(id: string): Promise<boolean>;
  };

  connections: {
    create(conn: Omit<Connection, 'createdAt' | 'updatedAt'>): Promise<Connection>;
    find(id: string): Promise<Connection | undefined>;
    /** `domain`: the connections of the organization holding that domain (exact match). */
    list(options: ListOptions & { organizationId?: string; connectionType?: ConnectionType; state?: ConnectionState; domain?: string }): Promise<Page<Connection>>;
    /** The organization's oldest active connection: the one its logins use. */
    findFirstActive(organizationId: string): Promise<Connection | undefined>;
    /** Active Clever connections serving a district (normally at most one). */
    findActiveCleverByDistrict(districtId: string): Promise<Connection[]>;
    /**
     * One active Clever connection per Clever app (client ID), oldest first, at
     * most `limit`: logins without a district use the app's credentials.
     */
    activeCleverApps(limit: number): Promise<Connection[]>;
    /** The oldest active connection of one Clever app (client ID): the app's credentials for district-less logins. */
    findActiveCleverApp(clientId: string): Promise<Connection | undefined>;
    update(id: string, patch: Partial<Omit<Connection, 'id' | 'createdAt' | 'updatedAt'>>): Promise<Connection | undefined>;
    destroy(id: string): Promise<boolean>;
  };

  /**
   * The log of every login. Concurrent `create`/`update` calls are committed
   * together in one transaction (a group commit); each resolves once its own
   * write is durable.
   */
  loginAttempts: {
    create(attempt: Omit<LoginAttempt, 'createdAt' | 'updatedAt'>): Promise<LoginAttempt>;
    update(id: string, patch: Partial<Omit<LoginAttempt, 'id' | 'createdAt' | 'updatedAt'>>): Promise<void>;
    find(id: string): Promise<LoginAttempt | undefined>;
    list(options: ListOptions & LoginAttemptFilters): Promise<Page<LoginAttempt>>;
  };

  /** Clever apps and districts, for the admin's Clever page. */
  cleverDistricts: {
    /** Active Clever connections by Clever app (client ID) → district → organization. */
    served(): Promise<CleverApp[]>;
    /** Districts seen in sign-ins that no active Clever connection serves, most recent first. */
    unserved(limit: number): Promise<UnservedDistrict[]>;
  };

  /** Setup links, found by the SHA-256 of their token. */
  setupLinks: {
    create(link: Omit<SetupLink, 'firstOpenedAt' | 'lastUsedAt' | 'revokedAt'> & { tokenHash: string }): Promise<SetupLink>;
    /** The link, whatever its state (the pages tell an expired or revoked link from an unknown one). */
    findByTokenHash(tokenHash: string): Promise<SetupLink | undefined>;
    /** The link, only while usable: not revoked, not expired. */
    findActiveByTokenHash(tokenHash: string, now: Date): Promise<SetupLink | undefined>;
    /**
     * Stamps the first opening (once, atomically) and, when `expiresAt` is
     * given, moves the expiry there. Returns the link as it now is.
     */
    markOpened(id: string, now: Date, expiresAt: Date | null): Promise<SetupLink | undefined>;
    touch(id: string, now: Date): Promise<void>;
    /** False when there is no such link of that organization, or it was revoked already. */
    revoke(organizationId: string, id: string, now: Date): Promise<boolean>;
    listForOrganization(organizationId: string): Promise<SetupLink[]>;
  };

  /** Every change made by an admin, an API key or a setup link. Append-only. */
  auditLog: {
    record(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry>;
    list(options: ListOptions & AuditFilters): Promise<Page<AuditEntry>>;
  };

  /**
   * Requests that fail (or end) before a connection is known are counted, not
   * stored one row each: a flood of them costs memory for a handful of
   * counters, and one upsert per reason and hour at the next sweep.
   */
  loginCounters: {
    /** Counts one request in the hour of `at`; kept in memory until the next sweep or `close`. */
    increment(reason: string, at: Date): void;
    /** Hourly counts from the hour holding `since` on, oldest first (what was written so far). */
    list(since: Date): Promise<LoginCount[]>;
  };

  authorizationStates: {
    save(state: AuthorizationState): Promise<void>;
    /** Atomically returns and invalidates the state if it exists and has not expired. */
    consume(state: string, now: Date): Promise<AuthorizationState | undefined>;
    /** A state that was already consumed and has not expired yet: the callback arrived twice. */
    findConsumed(state: string, now: Date): Promise<AuthorizationState | undefined>;
  };

  codes: {
    save(code: AuthorizationCode): Promise<void>;
    /**
     * Atomically returns and invalidates the code if it exists and has not expired.
     * `withPkceOnly` leaves codes issued without a PKCE challenge untouched, so a
     * request that can only prove PKCE cannot burn a code meant for an API key;
     * `redirectUri` consumes only a code issued for that redirect URI.
     */
    consume(codeHash: string, now: Date, options?: { withPkceOnly?: boolean; redirectUri?: string }): Promise<AuthorizationCode | undefined>;
  };

  accessTokens: {
    save(token: AccessToken): Promise<void>;
    find(tokenHash: string, now: Date): Promise<AccessToken | undefined>;
  };

  idempotency: {
    /**
     * Claims a key for a request fingerprint until `leaseUntil`. The first caller gets
     * `{ claimed: true, token }`; later callers get the stored response (or
     * `response: undefined` while the holder is in flight). A key whose lease has
     * passed without an answer is claimed afresh, whatever the fingerprint (the
     * request that held it changed nothing). A different fingerprint under a live
     * key is reported as `{ conflict: true }`.
     */
    claim(key: string, fingerprint: string, leaseUntil: Date, now: Date): Promise<{ claimed: true; token: string } | { claimed: false; conflict: boolean; response: IdempotentResponse | undefined }>;
    /**
     * Records the answer of the claim `token`, replayable until `expiresAt`. Call it
     * inside the transaction of the request's writes, so both commit or neither.
     * False when the claim is no longer held (its lease passed and another request
     * took the key): the caller must roll its writes back.
     */
    complete(key: string, token: string, response: IdempotentResponse, expiresAt: Date): Promise<boolean>;
    /** Gives up an unanswered claim (the request failed on our side), so a retry runs afresh. */
    release(key: string, token: string): Promise<void>;
  };

  admins: {
    /** Undefined when the email is taken (a unique constraint decides). */
    create(admin: { id: string; email: string; passwordHash: string }): Promise<Admin | undefined>;
    find(id: string): Promise<Admin | undefined>;
    /** With the password hash, for checking a sign-in. */
    findByEmail(email: string): Promise<(Admin & { passwordHash: string }) | undefined>;
    list(): Promise<Admin[]>;
    count(): Promise<number>;
    setPassword(id: string, passwordHash: string): Promise<boolean>;
    recordSignIn(id: string, at: Date): Promise<void>;
    /**
     * Removes an admin and their sessions, unless they are the last admin
     * (checked in the same transaction, serialized across instances).
     */
    remove(id: string): Promise<'removed' | 'not_found' | 'last_admin'>;
  };

  adminSessions: {
    create(session: AdminSession): Promise<void>;
    /**
     * The session and its admin when it is neither past `expiresAt` nor idle
     * since before `idleSince`; stamps `lastSeenAt = now` (at most once a minute).
     */
    findLive(idHash: string, now: Date, idleSince: Date): Promise<{ session: AdminSession; admin: Admin } | undefined>;
    destroy(idHash: string): Promise<void>;
  };

  adminInvites: {
    create(invite: AdminInvite): Promise<void>;
    /** Atomically returns and invalidates the invite if it exists and has not expired. */
    consume(tokenHash: string, now: Date): Promise<AdminInvite | undefined>;
    /** Invites not yet used or expired. */
    listPending(now: Date): Promise<AdminInvite[]>;
    revoke(email: string): Promise<void>;
  };

  /** Counters of wrong passwords for sign-in throttling. */
  signInFailures: {
    /** The counters under these keys whose last failure is after `since`. */
    read(keys: string[], since: Date): Promise<SignInFailures[]>;
    /** Adds one failure under each key; a counter idle since before `resetBefore` starts again at one. */
    record(keys: string[], now: Date, resetBefore: Date): Promise<void>;
    clear(key: string): Promise<void>;
  };

  /**
   * Deletes expired states, codes, tokens and idempotency records, and marks
   * login attempts still pending but untouched since `abandonPendingBefore` as
   * `abandoned`. With `retention`, also deletes older login attempts and
   * counters and blanks who signed in (IdP user ID, email) on older ones.
   * Writes the counters counted so far. Returns how many rows it deleted or
   * changed.
   */
  sweep(now: Date, abandonPendingBefore: Date, retention?: LoginRetention): Promise<number>;
  /**
   * Runs `work` in one database transaction: whatever it writes through the
   * store it is given commits together, or nothing does if it throws. Inside,
   * use only that store: SQLite has one connection, so a query through the
   * outer store would wait for the transaction's end forever.
   */
  /** Migrations not yet applied to the database (empty: the schema is current); a readiness check. */
  pendingMigrations(): Promise<string[]>;
  transaction<T>(work: (store: TransactionStore) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The verbs a transaction offers: the writes a request may need to commit together with its `Idempotency-Key` answer. */
export type TransactionStore = Pick<Store, 'organizations' | 'connections' | 'codes' | 'accessTokens' | 'idempotency'>;
