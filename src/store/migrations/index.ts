import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../dialect.ts';
import { initialSchema } from './0001-initial-schema.ts';
import { pendingLoginAttemptsIndex } from './0002-pending-login-attempts-index.ts';
import { tenantUniquenessAndCleverApps } from './0003-tenant-uniqueness-and-clever-apps.ts';
import { adminAccounts } from './0004-admin-accounts.ts';
import { auditLog } from './0005-audit-log.ts';
import { crashSafeIdempotencyAndBoundedLogs } from './0006-crash-safe-idempotency-and-bounded-logs.ts';
import { setupLinks } from './0007-setup-links.ts';
import { vendorName } from './0008-vendor-name.ts';

/**
 * Every schema version, in order. Add a file per version and list it here; the
 * names sort in the order they must run, and a released migration never changes.
 */
export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001-initial-schema': initialSchema(dialect),
        '0002-pending-login-attempts-index': pendingLoginAttemptsIndex(),
        '0003-tenant-uniqueness-and-clever-apps': tenantUniquenessAndCleverApps(),
        '0004-admin-accounts': adminAccounts(dialect),
        '0005-audit-log': auditLog(dialect),
        '0006-crash-safe-idempotency-and-bounded-logs': crashSafeIdempotencyAndBoundedLogs(dialect),
        '0007-setup-links': setupLinks(dialect),
        '0008-vendor-name': vendorName(),
      };
    },
  };
}
