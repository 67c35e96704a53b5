import type { Kysely } from 'kysely';
import type { StoreDialect, ValueCodec } from './dialect.ts';
import type { Database } from './schema.ts';

/** What every record module works with: the query builder and the dialect's value codec. */
export interface StoreContext {
  readonly db: Kysely<Database>;
  readonly values: ValueCodec;
  readonly isUniqueViolation: StoreDialect['isUniqueViolation'];
}
