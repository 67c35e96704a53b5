/**
 * What must stay unique across organizations: an external ID names one
 * organization, a domain belongs to one organization (otherwise a `domain`
 * lookup could not pick an organization's connections), and a Clever
 * district is served by one active connection of each Clever app (otherwise
 * where a district's logins land would depend on how they started).
 * The database enforces each rule with a unique index (migration 0003), which
 * decides races between instances; these checks before writing find the
 * holder, so the usual 409 names it.
 */
import { HallpassError } from '../errors.ts';
import type { Connection, OrganizationDomain, Store } from '../store/types.ts';

/** Throws `conflict` if another organization already has this external ID. */
export async function assertExternalIdFree(store: Store, externalId: string | null, self?: string): Promise<void> {
  if (externalId === null) return;
  const holder = await store.organizations.findByExternalId(externalId);
  if (holder && holder.id !== self) {
    throw new HallpassError('conflict', `external_id '${externalId}' already belongs to organization ${holder.id}.`);
  }
}

/** Throws `conflict` if another organization already has one of these domains. */
export async function assertDomainsFree(store: Store, domains: readonly OrganizationDomain[], self?: string): Promise<void> {
  if (domains.length === 0) return;
  const names = domains.map((d) => d.domain);
  // Two rows suffice: if any organization other than `self` holds one of the domains, it is among them.
  const page = await store.organizations.list({ domains: names, limit: 2, order: 'asc' });
  const holder = page.data.find((org) => org.id !== self);
  if (holder) {
    const taken = holder.domains.find((d) => names.includes(d.domain))?.domain;
    throw new HallpassError('conflict', `Domain ${taken} already belongs to organization ${holder.id}.`);
  }
}

/** Throws `conflict` if the connection would go active for a Clever district that another active connection of its Clever app serves. */
export async function assertDistrictFree(store: Store, conn: Pick<Connection, 'connectionType' | 'clientId' | 'districtId' | 'state'>, self?: string): Promise<void> {
  if (conn.connectionType !== 'CleverOIDC' || conn.state !== 'active' || conn.districtId === null) return;
  const holder = (await store.connections.findActiveCleverByDistrict(conn.districtId)).find((c) => c.id !== self && c.clientId === conn.clientId);
  if (holder) {
    throw new HallpassError('conflict', `Clever district ${conn.districtId} is already served by connection ${holder.id} of organization ${holder.organizationId}; disable that one first.`);
  }
}
