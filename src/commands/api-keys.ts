/** `hallpass api-keys create --name NAME | list | revoke ID`: the application's API keys. */
import { parseArgs } from 'node:util';
import { createApiKey as createKey } from '../api/create-api-key.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { HallpassError } from '../errors.ts';
import { openBroker } from '../start-broker.ts';
import type { AuditActor, Store } from '../store/types.ts';

/** Who the audit log names for changes made from the command line. */
export const COMMAND_LINE: AuditActor = { type: 'system', id: null, name: 'command line' };

const usage = 'usage: hallpass api-keys create --name NAME | list | revoke ID';

/** Creates a key and returns it in plain text; only its hash is stored. */
export async function createApiKey(store: Store, name: string): Promise<{ id: string; key: string }> {
  const { apiKey, key } = await createKey(store, name);
  return { id: apiKey.id, key };
}

export async function apiKeysCommand(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action === 'create') return create(rest);
  if (action === 'list' && rest.length === 0) return list();
  if (action === 'revoke' && rest.length === 1) return revoke(rest[0]!);
  throw new HallpassError('invalid_request', usage);
}

async function create(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { name: { type: 'string' } }, strict: true });
  const name = values.name?.trim();
  if (!name) throw new HallpassError('invalid_request', usage);
  const ctx = await openBroker();
  try {
    const { id, key } = await createApiKey(ctx.store, name);
    await recordAudit(ctx, { actor: COMMAND_LINE, action: 'api_key.created', targetType: 'api_key', targetId: id, changes: { name: { to: name }, value: { to: 'set' } } });
    const { clientId } = await ctx.store.settings.get();
    process.stdout.write(`API key "${name}" created. It is shown only this once:\n\n  ${key}\n\nClient ID: ${clientId}\n`);
  } finally {
    await ctx.store.close();
  }
}

async function list(): Promise<void> {
  const ctx = await openBroker();
  try {
    const keys = await ctx.store.apiKeys.list();
    if (keys.length === 0) {
      process.stdout.write('No API keys yet: hallpass api-keys create --name NAME\n');
      return;
    }
    const rows = keys.map((k) => [k.id, k.name, `sk_…${k.lastFour}`, k.createdAt.toISOString(), k.lastUsedAt?.toISOString() ?? 'never']);
    process.stdout.write(table(['ID', 'NAME', 'KEY', 'CREATED', 'LAST USED'], rows));
  } finally {
    await ctx.store.close();
  }
}

async function revoke(id: string): Promise<void> {
  const ctx = await openBroker();
  try {
    const key = (await ctx.store.apiKeys.list()).find((k) => k.id === id);
    if (!key || !(await ctx.store.apiKeys.revoke(id))) throw new HallpassError('entity_not_found', `No API key ${id}: see hallpass api-keys list.`);
    await recordAudit(ctx, { actor: COMMAND_LINE, action: 'api_key.revoked', targetType: 'api_key', targetId: id, changes: { name: { from: key.name } } });
    process.stdout.write(`API key "${key.name}" (${id}) revoked. Requests with it are refused from now on (other running instances: within 5 seconds).\n`);
  } finally {
    await ctx.store.close();
  }
}

/** Columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
