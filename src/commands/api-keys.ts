/** `hallpass api-keys create --name NAME`: a new API key, shown once. */
import { parseArgs } from 'node:util';
import { HallpassError } from '../errors.ts';
import { newId } from '../ids.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import { openBroker } from '../start-broker.ts';
import type { Store } from '../store/types.ts';

/** Creates a key and returns it in plain text; only its hash is stored. */
export async function createApiKey(store: Store, name: string): Promise<{ id: string; key: string }> {
  const key = newSecret('sk');
  const id = newId('key');
  await store.apiKeys.create({ id, name, hash: hashSecret(key), lastFour: key.slice(-4) });
  return { id, key };
}

export async function apiKeysCommand(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action !== 'create') throw new HallpassError('invalid_request', 'usage: hallpass api-keys create --name NAME');
  const { values } = parseArgs({ args: rest, options: { name: { type: 'string' } }, strict: true });
  const name = values.name?.trim();
  if (!name) throw new HallpassError('invalid_request', 'usage: hallpass api-keys create --name NAME');
  const ctx = await openBroker();
  try {
    const { key } = await createApiKey(ctx.store, name);
    const { clientId } = await ctx.store.settings.get();
    process.stdout.write(`API key "${name}" created. It is shown only this once:\n\n  ${key}\n\nClient ID: ${clientId}\n`);
  } finally {
    await ctx.store.close();
  }
}
