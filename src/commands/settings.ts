/** `hallpass settings [--default-role SLUG]`: show the application's settings, or change the default role. */
import { parseArgs } from 'node:util';
import { recordAudit } from '../audit/record-audit.ts';
import { HallpassError } from '../errors.ts';
import { openBroker } from '../start-broker.ts';
import { COMMAND_LINE } from './api-keys.ts';

const ROLE_SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export async function settingsCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'default-role': { type: 'string' } }, strict: true });
  const role = values['default-role'];
  if (role !== undefined && !ROLE_SLUG.test(role)) {
    throw new HallpassError('invalid_request', '--default-role must be a role slug: lowercase letters, digits, "-" and "_".');
  }
  const ctx = await openBroker();
  try {
    const before = await ctx.store.settings.get();
    const settings = role === undefined ? before : await ctx.store.settings.update({ defaultRole: role });
    if (settings.defaultRole !== before.defaultRole) {
      await recordAudit(ctx, { actor: COMMAND_LINE, action: 'settings.updated', targetType: 'settings', targetId: null, changes: { default_role: { from: before.defaultRole, to: settings.defaultRole } } });
    }
    const uris = await ctx.store.redirectUris.list();
    process.stdout.write(
      `Client ID:     ${settings.clientId}\n` +
        `Default role:  ${settings.defaultRole}   (profiles whose groups match no role mapping get it)\n` +
        `Redirect URIs: ${uris.length ? uris.map((r) => `${r.uri}${r.isDefault ? ' (default)' : ''}`).join('\n               ') : 'none yet: hallpass redirect-uris add URI --default'}\n`,
    );
  } finally {
    await ctx.store.close();
  }
}
