/**
 * Signed-in sessions: a random token in an HttpOnly cookie, only its SHA-256
 * hash in the database. A session ends on log out, on a new Clever sign-in in
 * the same browser, or after the configured minutes without a request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from './database.ts';

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

export function startSession(db: Database, userId: number, now: number): string {
  const token = randomBytes(32).toString('base64url');
  db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)').run(hash(token), userId, now, now);
  return token;
}

export type SessionLookup = { state: 'active'; userId: number } | { state: 'idle' } | { state: 'none' };

/** The session's user, recording this request as activity; an idle session is ended on the spot. */
export function touchSession(db: Database, token: string | undefined, now: number, idleMs: number): SessionLookup {
  if (!token) return { state: 'none' };
  const row = db.prepare('SELECT user_id, last_seen_at FROM sessions WHERE token_hash = ?').get(hash(token)) as { user_id: number; last_seen_at: number } | undefined;
  if (!row) return { state: 'none' };
  if (now - row.last_seen_at > idleMs) {
    endSession(db, token);
    return { state: 'idle' };
  }
  db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(now, hash(token));
  return { state: 'active', userId: row.user_id };
}

export function endSession(db: Database, token: string | undefined): void {
  if (token) db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hash(token));
}
