import { HallpassError } from '../errors.ts';

/**
 * The 404 WorkOS answers for an unknown ID: `code: entity_not_found` and the
 * ID itself in `entity_id`, so a client can tell which lookup failed.
 */
export function entityNotFound(entity: 'Organization' | 'Connection' | 'API key' | 'Redirect URI', id: string): HallpassError {
  return new HallpassError('entity_not_found', `${entity} not found: '${id}'.`, { fields: { entity_id: id } });
}
