/**
 * Helpers for dashboard tests: an admin account in a test broker, and
 * signing in over HTTP with the browser-less user agent.
 */
import { createAdmin } from '../../src/dashboard/admin-accounts.ts';
import type { RunningHallpass } from './hallpass.ts';
import type { Page, UserAgent } from './user-agent.ts';

export interface TestAdmin {
  id: string;
  email: string;
  password: string;
}

let count = 0;

/** Creates an admin with a fresh email and a known password. */
export async function createTestAdmin(hallpass: RunningHallpass, email = `admin${++count}@school.example`): Promise<TestAdmin> {
  const password = 'correct horse battery staple';
  const admin = await createAdmin(hallpass.ctx, email, password);
  return { id: admin.id, email: admin.email, password };
}

/** Opens the sign-in page and signs in; returns the page it lands on. */
export async function signIn(ua: UserAgent, hallpass: RunningHallpass, admin: Pick<TestAdmin, 'email' | 'password'>, path = '/dashboard'): Promise<Page> {
  const form = await ua.get(`${hallpass.url}${path}`);
  return ua.submit(form, { form: '/dashboard/sign-in', fields: { email: admin.email, password: admin.password } });
}
