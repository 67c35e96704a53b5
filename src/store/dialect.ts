import type { ColumnDataType, Kysely } from 'kysely';

/**
 * What differs between SQLite and PostgreSQL, in one small object per database,
 * so queries and migrations are written once (the Kysely habit: capabilities on
 * an adapter, never `if (dialect === 'postgres')` in a query).
 */
export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  /** Column types for the three kinds of value the databases store differently. */
  readonly columnTypes: {
    readonly timestamp: ColumnDataType;
    readonly boolean: ColumnDataType;
    readonly json: ColumnDataType;
  };
  /** Encoders and decoders that make dates, booleans and JSON round-trip identically. */
  readonly values: ValueCodec;
  /**
   * Runs the migrations (`run`) on one connection while holding a lock that
   * serializes them across processes, so instances can start together.
   */
  withMigrationLock<T>(db: Kysely<any>, run: (db: Kysely<any>) => Promise<T>): Promise<T>;
  /** Whether a driver error is a unique-constraint violation (a lost race for a unique value). */
  isUniqueViolation(error: unknown): boolean;
}

/** A date as stored: `timestamptz` (a `Date`) on PostgreSQL, epoch milliseconds on SQLite. */
export type DbTimestamp = Date | number;
/** A boolean as stored: `boolean` on PostgreSQL, 0 or 1 on SQLite. */
export type DbBoolean = boolean | number;

export interface ValueCodec {
  encodeDate(date: Date): DbTimestamp;
  decodeDate(value: DbTimestamp): Date;
  encodeBoolean(value: boolean): DbBoolean;
  decodeBoolean(value: DbBoolean): boolean;
  /** JSON is always sent as text. */
  encodeJson(value: unknown): string;
  /** PostgreSQL's driver returns `json` already parsed; SQLite returns the text. */
  decodeJson<T>(value: unknown): T;
}
