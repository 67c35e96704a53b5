/** How the Sign-in sessions pages name what the attempt log stores. */
import type { LoginOutcome, LoginStep } from '../../store/types.ts';

/**
 * How a sign-in started. Clever Portal launches and Instant Login links reach
 * Hallpass the same way (a code without state), so they share one label.
 */
export function initiatorLabel(initiatedBy: string): string {
  switch (initiatedBy) {
    case 'app': return 'The app';
    case 'idp': return 'Clever launch';
    case 'test': return 'Test SSO';
    case 'setup_link':
    case 'setup': return 'Setup test';
    default: return initiatedBy;
  }
}

/** The longer explanation the session page gives. */
export function initiatorDescription(initiatedBy: string): string {
  switch (initiatedBy) {
    case 'app': return 'The app sent the person to sign in.';
    case 'idp': return 'Clever launch: from the Clever Portal or an Instant Login link (both reach Hallpass the same way, as a code without state); it ends at the default redirect URI.';
    case 'test': return 'Test SSO, started by an admin from a connection page.';
    case 'setup_link':
    case 'setup': return 'Setup test: a test sign-in (or a Clever district joining) from a setup link, by the customer\'s IT admin.';
    default: return initiatedBy;
  }
}

export const outcomes: readonly LoginOutcome[] = ['succeeded', 'failed', 'pending', 'abandoned'];

export function outcomeLabel(outcome: string): string {
  switch (outcome) {
    case 'succeeded': return 'Succeeded';
    case 'failed': return 'Failed';
    case 'pending': return 'In progress';
    case 'abandoned': return 'Abandoned';
    default: return outcome;
  }
}

/** The badge style of an outcome (the stylesheet's connection-state badges). */
export function outcomeBadge(outcome: string): string {
  return outcome === 'succeeded' ? 'badge badge-active' : outcome === 'failed' ? 'badge badge-failed' : outcome === 'pending' ? 'badge badge-draft' : 'badge badge-inactive';
}

const stepLabels: Record<LoginStep, string> = {
  authorize: 'Authorization request received',
  upstream_redirect: 'Sent to the identity provider',
  callback: 'Back from the identity provider',
  token_exchange: 'Token exchange',
  id_token: 'ID-token checks',
  userinfo: 'Userinfo / Clever Data API',
  profile: 'Profile read',
  organization: 'Organization found (district routing, domain policy)',
  code_issued: 'Code issued to the app',
  code_redeemed: 'Code redeemed by the app',
};

export function stepLabel(step: string): string {
  return stepLabels[step as LoginStep] ?? step;
}
