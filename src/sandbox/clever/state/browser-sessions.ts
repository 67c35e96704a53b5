/**
 * Clever's browser session: who is signed in, in which district, and which
 * role a multi-role user picked. A session lasts two hours from sign-in, as
 * Clever's does; while it is live, login steps are skipped. Every session
 * also carries the CSRF token its forms must echo back.
 */
import { timingSafeEqual } from 'node:crypto';
import { ExpiringMap } from './expiring-map.ts';
import { randomToken } from './random-token.ts';
import type { UserType } from '../seed/seed-schema.ts';

export const sessionLifetimeMs = 2 * 60 * 60 * 1000;

export interface SignedInUser {
  userId: string;
  districtId: string;
  /** The role in use; unset until a multi-role user picks one. */
  activeRole: UserType | undefined;
}

export interface BrowserSession {
  id: string;
  csrfToken: string;
  signedIn: SignedInUser | undefined;
}

export class BrowserSessions {
  private readonly sessions: ExpiringMap<BrowserSession>;

  /** At most `max` sessions are kept; past that the oldest ends. */
  constructor(now: () => number, max: number) {
    this.sessions = new ExpiringMap(now, sessionLifetimeMs, max);
  }

  get size(): number {
    return this.sessions.size;
  }

  find(id: string | undefined): BrowserSession | undefined {
    return id ? this.sessions.get(id) : undefined;
  }

  /** A fresh anonymous session (it holds the CSRF token of the login forms). */
  create(): BrowserSession {
    return this.start(undefined);
  }

  /**
   * Signs a user in on a new session id, so an id planted in the browser
   * before sign-in is worthless afterwards. The two hours start now.
   */
  signIn(previous: BrowserSession | undefined, user: SignedInUser): BrowserSession {
    if (previous) this.sessions.delete(previous.id);
    return this.start(user);
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  private start(signedIn: SignedInUser | undefined): BrowserSession {
    const session: BrowserSession = { id: randomToken(), csrfToken: randomToken(), signedIn };
    this.sessions.set(session.id, session);
    return session;
  }
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfTokenMatches(session: BrowserSession, submitted: string | undefined): boolean {
  if (!submitted) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
