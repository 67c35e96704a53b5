/**
 * Creating admin accounts: one rule for the command line, `npm start`'s demo
 * admin and invitations.
 */
import { z } from 'zod';
import type { HallpassContext } from '../context.ts';
import { HallpassError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Admin } from '../store/types.ts';
import { hashPassword, passwordProblem } from './passwords.ts';

const email = z.email().max(254);

/** The email, trimmed and lower-cased, or a message saying what is wrong with it. */
export function checkEmail(value: string): { email: string } | { problem: string } {
  const parsed = email.safeParse(value.trim().toLowerCase());
  return parsed.success ? { email: parsed.data } : { problem: 'Enter an email address such as name@example.com.' };
}

/**
 * Creates an admin.
 * @throws HallpassError `invalid_request_parameters` for a bad email or password, `conflict` when the email has an account.
 */
export async function createAdmin(ctx: HallpassContext, emailInput: string, password: string): Promise<Admin> {
  const checked = checkEmail(emailInput);
  if ('problem' in checked) throw new HallpassError('invalid_request_parameters', checked.problem, { fields: { errors: [{ field: 'email', code: 'email_invalid', message: checked.problem }] } });
  const problem = passwordProblem(password);
  if (problem) throw new HallpassError('invalid_request_parameters', problem, { fields: { errors: [{ field: 'password', code: 'password_invalid', message: problem }] } });
  const admin = await ctx.store.admins.create({ id: newId('admin'), email: checked.email, passwordHash: await hashPassword(password) });
  if (!admin) throw new HallpassError('conflict', `${checked.email} already has an admin account.`);
  return admin;
}
