import type { Kysely } from 'kysely';
import type { StoreDialect } from './dialect.ts';
import { accessTokenRecords } from './records/access-tokens.ts';
import { adminInviteRecords } from './records/admin-invites.ts';
import { adminSessionRecords } from './records/admin-sessions.ts';
import { adminRecords } from './records/admins.ts';
import { apiKeyRecords } from './records/api-keys.ts';
import { authorizationCodeRecords } from './records/authorization-codes.ts';
import { auditLogRecords } from './records/audit-log.ts';
import { authorizationStateRecords } from './records/authorization-states.ts';
import { cleverDistrictRecords } from './records/clever-districts.ts';
import { connectionRecords } from './records/connections.ts';
import { idempotencyKeyRecords } from './records/idempotency-keys.ts';
import { loginAttemptRecords } from './records/login-attempts.ts';
import { loginCounterRecords } from './records/login-counters.ts';
import { organizationRecords } from './records/organizations.ts';
import { redirectUriRecords } from './records/redirect-uris.ts';
import { settingsRecords } from './records/settings.ts';
import { setupLinkRecords } from './records/setup-links.ts';
import { signInFailureRecords } from './records/sign-in-failures.ts';
import { sweepExpired } from './records/sweep.ts';
import { pendingMigrations } from './migrate.ts';
import type { Database } from './schema.ts';
import type { StoreContext } from './store-context.ts';
import type { Store, TransactionStore } from './types.ts';

/** The record verbs over one transaction. */
function transactionRecords(context: StoreContext): TransactionStore {
  return {
    organizations: organizationRecords(context),
    connections: connectionRecords(context),
    codes: authorizationCodeRecords(context),
    accessTokens: accessTokenRecords(context),
    idempotency: idempotencyKeyRecords(context),
  };
}

/**
 * The {@link Store} over a migrated Kysely database: the same record modules
 * for SQLite and PostgreSQL, with the dialect's value codec.
 */
export function createKyselyStore(db: Kysely<Database>, dialect: StoreDialect): Store {
  const context: StoreContext = { db, values: dialect.values, isUniqueViolation: dialect.isUniqueViolation };
  let closed: Promise<void> | undefined;
  const loginAttempts = loginAttemptRecords(context);
  const loginCounters = loginCounterRecords(context);
  return {
    dialect: dialect.name,
    settings: settingsRecords(context),
    redirectUris: redirectUriRecords(context),
    apiKeys: apiKeyRecords(context),
    organizations: organizationRecords(context),
    connections: connectionRecords(context),
    loginAttempts,
    loginCounters,
    cleverDistricts: cleverDistrictRecords(context),
    auditLog: auditLogRecords(context),
    setupLinks: setupLinkRecords(context),
    authorizationStates: authorizationStateRecords(context),
    codes: authorizationCodeRecords(context),
    accessTokens: accessTokenRecords(context),
    idempotency: idempotencyKeyRecords(context),
    admins: adminRecords(context),
    adminSessions: adminSessionRecords(context),
    adminInvites: adminInviteRecords(context),
    signInFailures: signInFailureRecords(context),
    sweep: sweepExpired(context, () => loginCounters.flush()),
    transaction: (work) => db.transaction().execute((trx) => work(transactionRecords({ ...context, db: trx }))),
    pendingMigrations: () => pendingMigrations(db, dialect),
    // Safe to call twice (a test's cleanup after the code under test closed it).
    close: () => (closed ??= Promise.allSettled([loginAttempts.flush(), loginCounters.flush()]).finally(() => db.destroy()).then(() => undefined)),
  };
}
