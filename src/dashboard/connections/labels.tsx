import type { ConnectionState, ConnectionType, LoginOutcome } from '../../store/types.ts';

/** The identity providers by the names the setup guides use. */
export const providerNames: Record<ConnectionType, string> = {
  CleverOIDC: 'Clever OIDC',
  GenericOIDC: 'OpenID Connect',
};

const stateNames: Record<ConnectionState, string> = { draft: 'Draft', active: 'Active', inactive: 'Inactive' };

export function StateBadge({ state }: { state: ConnectionState }) {
  return <span class={`badge badge-${state}`}>{stateNames[state]}</span>;
}

const outcomeNames: Record<LoginOutcome, string> = { pending: 'In progress', succeeded: 'Succeeded', failed: 'Failed', abandoned: 'Abandoned' };
const outcomeClass: Record<LoginOutcome, string> = { pending: 'draft', succeeded: 'active', failed: 'failed', abandoned: 'inactive' };

export function OutcomeBadge({ outcome }: { outcome: LoginOutcome }) {
  return <span class={`badge badge-${outcomeClass[outcome]}`}>{outcomeNames[outcome]}</span>;
}
