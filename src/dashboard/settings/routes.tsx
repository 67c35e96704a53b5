/** Settings: client ID; API keys (create — shown once —, revoke); redirect URIs (add, remove, make default); default role. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { apiKeyJson } from '../../api/api-key-json.ts';
import { API_KEY_NAME_MAX_LENGTH, createApiKey } from '../../api/create-api-key.ts';
import { redirectUriProblem } from '../../api/redirect-uri-input.ts';
import { redirectUriJson } from '../../api/redirect-uri-routes.ts';
import { roleSlug, settingsJson, vendorNameInput } from '../../api/settings-routes.ts';
import { auditChanges, recordAudit } from '../../audit/record-audit.ts';
import type { AreaOptions } from '../../context.ts';
import { HallpassError } from '../../errors.ts';
import { sendPage } from '../../pages/send-page.ts';
import { adminActor } from '../actor.ts';
import { formFields } from '../../pages/form-input.ts';
import { paths } from '../paths.ts';
import { viewerOf } from '../viewer.ts';
import { SettingsPage, type SettingsPageProps } from './pages.tsx';

const notices: Record<string, string> = {
  'key-revoked': 'The API key was revoked: requests with it are refused from now on.',
  'uri-added': 'The redirect URI was added.',
  'uri-removed': 'The redirect URI was removed.',
  'uri-default': 'The default redirect URI was changed.',
  'role-saved': 'The default role was saved.',
  'vendor-saved': 'The vendor name was saved.',
};

const apiKeyName = z.string().trim().min(1, 'Give the key a name.').max(API_KEY_NAME_MAX_LENGTH, `At most ${API_KEY_NAME_MAX_LENGTH} characters.`);

export default async function settingsRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const { store } = ctx;
  const production = ctx.config.env === 'production';

  async function show(request: FastifyRequest, reply: FastifyReply, status: number, props: Partial<SettingsPageProps> = {}) {
    const [settings, apiKeys, redirectUris] = await Promise.all([store.settings.get(), store.apiKeys.list(), store.redirectUris.list()]);
    return sendPage(reply, status, <SettingsPage viewer={viewerOf(request, reply)} settings={settings} apiKeys={apiKeys} redirectUris={redirectUris} {...props} />);
  }
  const done = (reply: FastifyReply, notice: keyof typeof notices) => reply.redirect(`${paths.settings}?notice=${notice}`, 303);
  const findUri = async (uri: string) => (await store.redirectUris.list()).find((r) => r.uri === uri);

  app.get<{ Querystring: { notice?: string } }>('/settings', async (request, reply) =>
    show(request, reply, 200, { notice: typeof request.query.notice === 'string' && Object.hasOwn(notices, request.query.notice) ? notices[request.query.notice] : undefined }),
  );

  app.post('/settings/api-keys', async function createKeyFromPage(request, reply) {
    const typed = formFields(request.body).name ?? '';
    const name = apiKeyName.safeParse(typed);
    if (!name.success) return show(request, reply, 422, { apiKeyForm: { name: typed, error: name.error.issues[0]!.message } });
    const { apiKey, key } = await createApiKey(store, name.data);
    await recordAudit(ctx, { actor: adminActor(request), action: 'api_key.created', targetType: 'api_key', targetId: apiKey.id, changes: auditChanges(null, apiKeyJson(apiKey), { value: 'set' }) });
    // Shown in this answer only (never in a URL or a redirect).
    return show(request, reply, 201, { newKey: { name: apiKey.name, value: key } });
  });

  app.post<{ Params: { id: string } }>('/settings/api-keys/:id/revoke', async function revokeKeyFromPage(request, reply) {
    const key = (await store.apiKeys.list()).find((k) => k.id === request.params.id);
    if (!key || !(await store.apiKeys.revoke(key.id))) throw new HallpassError('entity_not_found', 'That API key does not exist (any more): it may have been revoked already.');
    await recordAudit(ctx, { actor: adminActor(request), action: 'api_key.revoked', targetType: 'api_key', targetId: key.id, changes: auditChanges(apiKeyJson(key), null) });
    return done(reply, 'key-revoked');
  });

  app.post('/settings/redirect-uris', async function addUriFromPage(request, reply) {
    const fields = formFields(request.body);
    const uri = (fields.uri ?? '').trim();
    const isDefault = fields.default === 'true';
    const problem = uri === '' ? 'Enter the address your app receives sign-ins at.' : redirectUriProblem(uri, production);
    if (problem !== undefined) return show(request, reply, 422, { redirectUriForm: { uri, isDefault, error: problem } });
    if (await findUri(uri)) return show(request, reply, 409, { redirectUriForm: { uri, isDefault, error: 'This redirect URI is already on the list.' } });
    const added = await store.redirectUris.add(uri, isDefault);
    await recordAudit(ctx, { actor: adminActor(request), action: 'redirect_uri.created', targetType: 'redirect_uri', targetId: uri, changes: auditChanges(null, redirectUriJson(added)) });
    return done(reply, 'uri-added');
  });

  app.post('/settings/redirect-uris/default', async function makeDefaultFromPage(request, reply) {
    const current = await findUri(formFields(request.body).uri ?? '');
    if (!current) throw new HallpassError('entity_not_found', 'That redirect URI is not on the list (any more).');
    const updated = await store.redirectUris.add(current.uri, true);
    await recordAudit(ctx, { actor: adminActor(request), action: 'redirect_uri.updated', targetType: 'redirect_uri', targetId: current.uri, changes: auditChanges(redirectUriJson(current), redirectUriJson(updated)) });
    return done(reply, 'uri-default');
  });

  app.post('/settings/redirect-uris/remove', async function removeUriFromPage(request, reply) {
    const current = await findUri(formFields(request.body).uri ?? '');
    if (!current || !(await store.redirectUris.remove(current.uri))) throw new HallpassError('entity_not_found', 'That redirect URI is not on the list (any more).');
    await recordAudit(ctx, { actor: adminActor(request), action: 'redirect_uri.deleted', targetType: 'redirect_uri', targetId: current.uri, changes: auditChanges(redirectUriJson(current), null) });
    return done(reply, 'uri-removed');
  });

  app.post('/settings/vendor-name', async function saveVendorName(request, reply) {
    const typed = formFields(request.body).name ?? '';
    const name = vendorNameInput.safeParse(typed);
    if (!name.success) return show(request, reply, 422, { vendorNameForm: { name: typed, error: 'At most 100 characters.' } });
    const before = await store.settings.get();
    const after = await store.settings.update({ vendorName: name.data || null });
    await recordAudit(ctx, { actor: adminActor(request), action: 'settings.updated', targetType: 'settings', targetId: null, changes: auditChanges(settingsJson(before), settingsJson(after)) });
    return done(reply, 'vendor-saved');
  });

  app.post('/settings/default-role', async function saveDefaultRole(request, reply) {
    const typed = formFields(request.body).role ?? '';
    const role = roleSlug.safeParse(typed);
    if (!role.success) return show(request, reply, 422, { defaultRoleForm: { role: typed, error: 'A role slug: lower-case letters, digits, - and _, starting with a letter or digit.' } });
    const before = await store.settings.get();
    const after = await store.settings.update({ defaultRole: role.data });
    await recordAudit(ctx, { actor: adminActor(request), action: 'settings.updated', targetType: 'settings', targetId: null, changes: auditChanges(settingsJson(before), settingsJson(after)) });
    return done(reply, 'role-saved');
  });
}
