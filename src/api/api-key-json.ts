import type { ApiKey } from '../store/types.ts';

/**
 * An API key as the API shows it, in the shape of WorkOS's API-key objects:
 * never the key itself, only its last four characters.
 */
export function apiKeyJson(key: ApiKey) {
  return {
    object: 'api_key' as const,
    id: key.id,
    name: key.name,
    obfuscated_value: `sk_…${key.lastFour}`,
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
  };
}
