import { HallpassError } from '../errors.ts';

/** Longest value accepted for any single protocol parameter. */
export const MAX_PARAM_LENGTH = 2048;

/**
 * Reads one protocol parameter from a parsed query or body: absent → undefined;
 * repeated or oversized → `invalid_request` (RFC 6749 §3.1: parameters MUST NOT
 * be included more than once).
 */
export function singleParam(source: unknown, name: string, maxLength = MAX_PARAM_LENGTH): string | undefined {
  const value = (source as Record<string, unknown> | null | undefined)?.[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new HallpassError('invalid_request', `The ${name} parameter must be given once, as a string.`);
  }
  if (value.length > maxLength) {
    throw new HallpassError('invalid_request', `The ${name} parameter is longer than ${maxLength} characters.`);
  }
  return value;
}

/** The `client_id` a query or body names, for counting by client: one string, or "" for anything else. */
export function clientIdOf(source: unknown): string {
  const value = (source as Record<string, unknown> | null | undefined)?.client_id;
  return typeof value === 'string' ? value.slice(0, 128) : '';
}
