/**
 * `/settings`: the application's client ID, default role and default
 * redirect URI. Only the default role is changed here; the default redirect
 * URI is changed through `/redirect_uris`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AreaOptions } from '../context.ts';
import type { ApplicationSettings } from '../store/types.ts';
import { auditApiChanges } from './audit-api-changes.ts';
import { parseInput } from './parse-input.ts';

/** The rule for a role slug, as connection role mappings use it. */
export const roleSlug = z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'must be a role slug: lower-case letters, digits, - and _' });

export const updateSettingsInput = z.object({ default_role: roleSlug });

export function settingsJson(settings: ApplicationSettings) {
  return { object: 'settings' as const, client_id: settings.clientId, default_role: settings.defaultRole, default_redirect_uri: settings.defaultRedirectUri };
}

export default async function settingsRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  auditApiChanges(app, ctx, { targetType: 'settings', snapshot: async () => settingsJson(await ctx.store.settings.get()) });

  app.get('/settings', async function getSettings() {
    return settingsJson(await ctx.store.settings.get());
  });

  app.put('/settings', async function updateSettings(request) {
    const input = parseInput(updateSettingsInput, request.body, 'body');
    return settingsJson(await ctx.store.settings.update({ defaultRole: input.default_role }));
  });
}
