/**
 * Reading a list page's query string: filters arrive as strings from a GET
 * form; empty ones mean "any". Bad values are refused with a 400 page that
 * says which, never ignored silently.
 */
import { HallpassError } from '../errors.ts';

/** One string parameter (the last if repeated), trimmed; undefined when absent or empty. */
export function queryText(query: unknown, name: string, maxLength = 200): string | undefined {
  const raw = (query as Record<string, unknown> | null)?.[name];
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed.length > maxLength) throw new HallpassError('invalid_request', `The ${name} filter is too long (at most ${maxLength} characters).`);
  return trimmed === '' ? undefined : trimmed;
}

/** One of `allowed`, or undefined. */
export function queryChoice<T extends string>(query: unknown, name: string, allowed: readonly T[]): T | undefined {
  const value = queryText(query, name);
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new HallpassError('invalid_request', `The ${name} filter must be one of: ${allowed.join(', ')}.`);
  return value as T;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A `YYYY-MM-DD` day (as `<input type="date">` sends it) as the start of that
 * day in UTC, or of the next day with `endOfDay` (so "to" includes the day).
 */
export function queryDay(query: unknown, name: string, endOfDay = false): Date | undefined {
  const value = queryText(query, name, 10);
  if (value === undefined) return undefined;
  const date = DAY.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new HallpassError('invalid_request', `The ${name} date must be a day like 2026-09-01.`);
  return endOfDay ? new Date(date.getTime() + 86_400_000) : date;
}

/** The page cursor (`after` or `before`), if any. */
export function queryCursor(query: unknown): { after?: string; before?: string } {
  const after = queryText(query, 'after');
  const before = queryText(query, 'before');
  return after ? { after } : before ? { before } : {};
}
