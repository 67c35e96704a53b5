import { newId } from '../ids.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import type { ApiKey, Store } from '../store/types.ts';

/** Creates a key and returns it in plain text, this once; only its hash is stored. */
export async function createApiKey(store: Store, name: string): Promise<{ apiKey: ApiKey; key: string }> {
  const key = newSecret('sk');
  const apiKey = await store.apiKeys.create({ id: newId('key'), name, hash: hashSecret(key), lastFour: key.slice(-4) });
  return { apiKey, key };
}

/** The rule for a key's name, shared by the API, the dashboard and the CLI. */
export const API_KEY_NAME_MAX_LENGTH = 100;
