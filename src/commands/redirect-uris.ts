/** `hallpass redirect-uris add URI [--default] | list | remove URI`: the app's allowed redirect URIs. */
import { parseArgs } from 'node:util';
import { redirectUriProblem } from '../api/redirect-uri-input.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { HallpassContext } from '../context.ts';
import { HallpassError } from '../errors.ts';
import { openBroker } from '../start-broker.ts';
import { COMMAND_LINE } from './api-keys.ts';

const usage = 'usage: hallpass redirect-uris add URI [--default] | list | remove URI';

/** Checks a redirect URI with the API's rule; throws `invalid_request` with the reason. */
export function checkRedirectUri(uri: string, production: boolean): string {
  const problem = redirectUriProblem(uri, production);
  if (problem !== undefined) throw new HallpassError('invalid_request', problem);
  return uri;
}

export async function redirectUrisCommand(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action === 'list' && rest.length === 0) return withBroker(printList);
  if (action === 'remove' && rest.length === 1) return withBroker((ctx) => remove(ctx, rest[0]!));
  if (action !== 'add') throw new HallpassError('invalid_request', usage);
  const { values, positionals } = parseArgs({ args: rest, options: { default: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new HallpassError('invalid_request', usage);
  return withBroker(async (ctx) => {
    const uri = checkRedirectUri(positionals[0]!, ctx.config.env === 'production');
    const existed = (await ctx.store.redirectUris.list()).some((r) => r.uri === uri);
    const added = await ctx.store.redirectUris.add(uri, values.default ?? false);
    if (!existed || values.default) {
      await recordAudit(ctx, {
        actor: COMMAND_LINE,
        action: existed ? 'redirect_uri.updated' : 'redirect_uri.created',
        targetType: 'redirect_uri',
        targetId: uri,
        changes: existed ? { default: { to: true } } : { uri: { to: uri }, default: { to: added.isDefault } },
      });
    }
    await printList(ctx);
  });
}

async function remove(ctx: HallpassContext, uri: string): Promise<void> {
  const found = (await ctx.store.redirectUris.list()).find((r) => r.uri === uri);
  if (!found || !(await ctx.store.redirectUris.remove(uri))) throw new HallpassError('entity_not_found', `${uri} is not an allowed redirect URI: see hallpass redirect-uris list.`);
  await recordAudit(ctx, { actor: COMMAND_LINE, action: 'redirect_uri.deleted', targetType: 'redirect_uri', targetId: uri, changes: { uri: { from: uri }, default: { from: found.isDefault } } });
  if (found.isDefault) process.stdout.write('It was the default: logins that start at Clever (Portal, Instant Login) need a new default.\n');
  await printList(ctx);
}

async function printList(ctx: HallpassContext): Promise<void> {
  const all = await ctx.store.redirectUris.list();
  process.stdout.write(
    all.length === 0
      ? 'No redirect URIs allowed yet: hallpass redirect-uris add URI --default\n'
      : `Allowed redirect URIs:\n${all.map((r) => `  ${r.uri}${r.isDefault ? '  (default)' : ''}`).join('\n')}\n`,
  );
}

async function withBroker(run: (ctx: HallpassContext) => Promise<void>): Promise<void> {
  const ctx = await openBroker();
  try {
    await run(ctx);
  } finally {
    await ctx.store.close();
  }
}
