/**
 * `/settings`: the application's client ID, default role, default redirect
 * URI and vendor name. The default role and the vendor name (shown to the
 * customer's IT admin on setup-link pages) are changed here; the default
 * redirect URI through `/redirect_uris`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AreaOptions } from '../context.ts';
import type { ApplicationSettings } from '../store/types.ts';
import { auditApiChanges } from './audit-api-changes.ts';
import { parseInput } from './parse-input.ts';

/** The rule for a role slug, as connection role mappings use it. */
export const roleSlug = z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'must be a role slug: lower-case letters, digits, - and _' });

/** A vendor name as setup-link pages show it; empty or null clears it. */
export const vendorNameInput = z.string().trim().max(100, { message: 'must be at most 100 characters' }).nullable();

export const updateSettingsInput = z
  .object({ default_role: roleSlug.optional(), vendor_name: vendorNameInput.optional() })
  .refine((input) => input.default_role !== undefined || input.vendor_name !== undefined, { message: 'give default_role, vendor_name or both' });

export function settingsJson(settings: ApplicationSettings) {
  return { object: 'settings' as const, client_id: settings.clientId, default_role: settings.defaultRole, default_redirect_uri: settings.defaultRedirectUri, vendor_name: settings.vendorName };
}

export default async function settingsRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  auditApiChanges(app, ctx, { targetType: 'settings', snapshot: async () => settingsJson(await ctx.store.settings.get()) });

  app.get('/settings', async function getSettings() {
    return settingsJson(await ctx.store.settings.get());
  });

  app.put('/settings', async function updateSettings(request) {
    const input = parseInput(updateSettingsInput, request.body, 'body');
    return settingsJson(
      await ctx.store.settings.update({
        ...(input.default_role !== undefined ? { defaultRole: input.default_role } : {}),
        ...(input.vendor_name !== undefined ? { vendorName: input.vendor_name || null } : {}),
      }),
    );
  });
}
