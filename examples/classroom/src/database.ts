/**
 * Classroom's own SQLite database (Node's built-in `node:sqlite`). Text is
 * stored as UTF-8, so names such as Ñandú Pérez or 李明 round-trip unchanged.
 *
 * The rules that protect accounts live in the schema: one account per Clever
 * ID, and at most one not-yet-linked account per email address (the only
 * accounts an email can ever match).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const schema = `
CREATE TABLE IF NOT EXISTS districts (
  clever_district_id TEXT PRIMARY KEY,
  organization_id    TEXT,
  name               TEXT
);
CREATE TABLE IF NOT EXISTS users (
  id             INTEGER PRIMARY KEY,
  clever_id      TEXT UNIQUE,
  email          TEXT,
  first_name     TEXT,
  last_name      TEXT,
  user_type      TEXT,
  district_id    TEXT REFERENCES districts (clever_district_id),
  school         TEXT,
  preferred_name TEXT,
  created_at     INTEGER NOT NULL,
  signed_in_at   INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS users_unlinked_email ON users (lower(email)) WHERE clever_id IS NULL;
CREATE INDEX IF NOT EXISTS users_email ON users (lower(email));
CREATE TABLE IF NOT EXISTS sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sign_in_errors (
  reference   TEXT PRIMARY KEY,
  occurred_at INTEGER NOT NULL,
  error       TEXT NOT NULL,
  description TEXT
);
`;

export type Database = DatabaseSync;

export function openDatabase(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  db.exec(schema);
  return db;
}

/** Runs `work` in one write transaction (BEGIN IMMEDIATE: no other writer can slip in between a read and the write it decides). */
export function inTransaction<T>(db: Database, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
