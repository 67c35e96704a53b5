/**
 * Finding the records a dashboard URL names. An unknown (or absurdly long)
 * ID is `entity_not_found`, which the dashboard answers with its 404 page.
 */
import type { HallpassContext } from '../context.ts';
import { HallpassError } from '../errors.ts';
import type { Connection, Organization } from '../store/types.ts';

/** IDs are a prefix and a 26-character ULID; anything much longer names nothing. */
const MAX_ID_LENGTH = 100;

export async function findOrganization(ctx: HallpassContext, id: string): Promise<Organization> {
  const org = id.length <= MAX_ID_LENGTH ? await ctx.store.organizations.find(id) : undefined;
  if (!org) throw new HallpassError('entity_not_found', 'There is no organization with this ID. It may have been deleted.');
  return org;
}

export async function findConnection(ctx: HallpassContext, id: string): Promise<Connection> {
  const connection = id.length <= MAX_ID_LENGTH ? await ctx.store.connections.find(id) : undefined;
  if (!connection) throw new HallpassError('entity_not_found', 'There is no connection with this ID. It may have been deleted.');
  return connection;
}
