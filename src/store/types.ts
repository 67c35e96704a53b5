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
   * The Clever app (client ID) whose Redirect URI is still the deployment-wide
   * `/sso/clever/callback`: set for deployments upgraded from one Clever app,
   * null otherwise (every Clever app then has its own Redirect URI).
   */
  legacyCleverClientId: string | null;
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

export type LoginInitiator = 'app' | 'idp' | 'test';
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
  createdAt: Date;
  updatedAt: Date;
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

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  settings: {
    /** Creates the single settings row on first call (with a fresh client ID). */
    get(): Promise<ApplicationSettings>;
    update(patch: Partial<Omit<ApplicationSettings, 'clientId' | 'legacyCleverClientId'>>): Promise<ApplicationSettings>;
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
    list(options: ListOptions & { domains?: string[] }): Promise<Page<Organization>>;
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
    list(options: ListOptions & { connectionId?: string; organizationId?: string }): Promise<Page<LoginAttempt>>;
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
