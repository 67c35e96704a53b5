/** `hallpass redirect-uris add URI [--default]`: allow an app redirect URI. */
import { parseArgs } from 'node:util';
import { HallpassError } from '../errors.ts';
import { openBroker } from '../start-broker.ts';

/** Checks a redirect URI: absolute http(s), no fragment; https only in production (localhost excepted). */
export function checkRedirectUri(uri: string, production: boolean): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new HallpassError('invalid_request', `"${uri}" is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HallpassError('invalid_request', 'A redirect URI must use http or https.');
  if (url.hash) throw new HallpassError('invalid_request', 'A redirect URI must not contain a fragment (#…).');
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (production && url.protocol !== 'https:' && !local) throw new HallpassError('invalid_request', 'In production a redirect URI must use https.');
  return uri;
}

export async function redirectUrisCommand(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  const usage = 'usage: hallpass redirect-uris add URI [--default]';
  if (action !== 'add') throw new HallpassError('invalid_request', usage);
  const { values, positionals } = parseArgs({ args: rest, options: { default: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new HallpassError('invalid_request', usage);
  const ctx = await openBroker();
  try {
    const uri = checkRedirectUri(positionals[0]!, ctx.config.env === 'production');
    await ctx.store.redirectUris.add(uri, values.default ?? false);
    const all = await ctx.store.redirectUris.list();
    process.stdout.write(`Allowed redirect URIs:\n${all.map((r) => `  ${r.uri}${r.isDefault ? '  (default)' : ''}`).join('\n')}\n`);
  } finally {
    await ctx.store.close();
  }
}
