import type { LoginMethod } from '../seed/seed-schema.ts';

/** The name on a district's "Log in with {IdP}" button. */
export const identityProviderNames: Record<LoginMethod, string> = {
  clever_passwords: 'Clever Passwords',
  google: 'Google',
  active_directory: 'Active Directory',
};
