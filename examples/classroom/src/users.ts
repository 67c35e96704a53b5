/**
 * Classroom's accounts and how a Clever sign-in finds one.
 *
 * Matching, in order:
 *   1. the Clever ID: the account that signed in with this Clever ID before,
 *      whatever its email is now (a changed or removed email keeps the account);
 *   2. the email: an account that has never signed in with Clever (created
 *      ahead of time, e.g. `npm run invite`) is linked to this Clever ID;
 *   3. otherwise a new account.
 * An account already linked to another Clever ID is never matched by email:
 * two Clever IDs are two people to Clever, so they stay two accounts here
 * (the schema allows an email on several linked accounts for that reason).
 */
import { inTransaction, type Database } from './database.ts';
import type { CleverIdentity, UserType } from './clever-identity.ts';

export interface User {
  id: number;
  cleverId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  userType: UserType | null;
  districtId: string | null;
  districtName: string | null;
  school: string | null;
  /** Asked once, at the first sign-in: the name Classroom shows to classmates. */
  preferredName: string | null;
}

export type MatchedBy = 'clever_id' | 'email' | 'new';

interface UserRow {
  id: number;
  clever_id: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  user_type: string | null;
  district_id: string | null;
  district_name: string | null;
  school: string | null;
  preferred_name: string | null;
}

const selectUser = `SELECT u.id, u.clever_id, u.email, u.first_name, u.last_name, u.user_type, u.district_id,
  d.name AS district_name, u.school, u.preferred_name
  FROM users u LEFT JOIN districts d ON d.clever_district_id = u.district_id`;

function toUser(row: UserRow): User {
  return {
    id: row.id,
    cleverId: row.clever_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    userType: row.user_type as UserType | null,
    districtId: row.district_id,
    districtName: row.district_name,
    school: row.school,
    preferredName: row.preferred_name,
  };
}

export function findUser(db: Database, id: number): User | undefined {
  const row = db.prepare(`${selectUser} WHERE u.id = ?`).get(id) as UserRow | undefined;
  return row && toUser(row);
}

/** Records the district's name (from the Hallpass organization) so pages can show it. */
export function rememberDistrict(db: Database, district: { cleverDistrictId: string; organizationId: string | null; name: string | null }): void {
  db.prepare(
    `INSERT INTO districts (clever_district_id, organization_id, name) VALUES (?, ?, ?)
     ON CONFLICT (clever_district_id) DO UPDATE SET
       organization_id = coalesce(excluded.organization_id, organization_id), name = coalesce(excluded.name, name)`,
  ).run(district.cleverDistrictId, district.organizationId, district.name);
}

/** Finds (or creates) the account for a Clever sign-in and refreshes what Clever said about the person. */
export function signInUser(db: Database, who: CleverIdentity, now: number): { user: User; matchedBy: MatchedBy } {
  return inTransaction(db, () => {
    if (who.districtId) rememberDistrict(db, { cleverDistrictId: who.districtId, organizationId: who.organizationId, name: null });
    const byCleverId = db.prepare('SELECT id FROM users WHERE clever_id = ?').get(who.cleverId) as { id: number } | undefined;
    const byEmail = byCleverId || !who.email
      ? undefined
      : (db.prepare('SELECT id FROM users WHERE clever_id IS NULL AND lower(email) = lower(?)').get(who.email) as { id: number } | undefined);
    const matchedBy: MatchedBy = byCleverId ? 'clever_id' : byEmail ? 'email' : 'new';
    const fields = [who.cleverId, who.email, who.firstName, who.lastName, who.userType, who.districtId, who.school, now] as const;
    let id: number;
    if (byCleverId || byEmail) {
      id = (byCleverId ?? byEmail)!.id;
      db.prepare(
        `UPDATE users SET clever_id = ?, email = ?, first_name = ?, last_name = ?, user_type = ?, district_id = ?, school = ?, signed_in_at = ?
         WHERE id = ?`,
      ).run(...fields, id);
    } else {
      const result = db
        .prepare(
          `INSERT INTO users (clever_id, email, first_name, last_name, user_type, district_id, school, signed_in_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...fields, now);
      id = Number(result.lastInsertRowid);
    }
    return { user: findUser(db, id)!, matchedBy };
  });
}

/** An account made before its owner ever signs in with Clever (e.g. from a class list); the first Clever sign-in with this email links it. */
export function inviteUser(db: Database, invite: { email: string; preferredName: string | null }, now: number): User {
  const result = db
    .prepare('INSERT INTO users (email, preferred_name, created_at) VALUES (?, ?, ?)')
    .run(invite.email.trim(), invite.preferredName, now);
  return findUser(db, Number(result.lastInsertRowid))!;
}

export function setPreferredName(db: Database, userId: number, preferredName: string): void {
  db.prepare('UPDATE users SET preferred_name = ? WHERE id = ?').run(preferredName, userId);
}

/** "Ñandú Pérez", or the preferred name when the person gave one. */
export function displayName(user: User): string {
  return user.preferredName ?? fullName(user);
}

export function fullName(user: User): string {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || 'Unnamed user';
}
