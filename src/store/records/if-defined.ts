/**
 * Encodes a patch field only when it is present. Kysely leaves `undefined`
 * values out of `set()` and `values()`, so one column mapper serves both
 * inserts (every field given) and partial updates.
 */
export function ifDefined<T, R>(value: T | undefined, encode: (value: T) => R): R | undefined {
  return value === undefined ? undefined : encode(value);
}
