import { randomBytes } from 'node:crypto';

/** An unguessable hex string (codes, access tokens, session ids, CSRF tokens). */
export function randomToken(bytes = 20): string {
  return randomBytes(bytes).toString('hex');
}
