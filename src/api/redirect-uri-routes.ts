/**
 * `/redirect_uris`: the application's allow-list of redirect URIs, and which
 * one is the default (where logins that start at the IdP — Clever Portal,
 * Instant Login — land). A URI in a path is percent-encoded as one segment:
 * `DELETE /redirect_uris/https%3A%2F%2Fapp.example%2Fcallback`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AreaOptions } from '../context.ts';
import { HallpassError } from '../errors.ts';
import type { RedirectUri } from '../store/types.ts';
import { auditApiChanges } from './audit-api-changes.ts';
import { entityNotFound } from './entity-not-found.ts';
import { listJson } from './pagination.ts';
import { invalidParameters, parseInput } from './parse-input.ts';
import { redirectUriProblem } from './redirect-uri-input.ts';

const addRedirectUriInput = z.object({ uri: z.string().trim().min(1).max(2048), default: z.boolean().default(false) });
const updateRedirectUriInput = z.object({ default: z.boolean() });

interface ByUri {
  Params: { uri: string };
}

export function redirectUriJson(uri: RedirectUri) {
  return { object: 'redirect_uri' as const, uri: uri.uri, default: uri.isDefault, created_at: uri.createdAt.toISOString() };
}

export default async function redirectUriRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const { store } = ctx;
  const find = async (uri: string) => (await store.redirectUris.list()).find((r) => r.uri === uri);

  auditApiChanges(app, ctx, {
    targetType: 'redirect_uri',
    idParam: 'uri',
    async snapshot(uri) {
      const found = await find(uri);
      return found ? redirectUriJson(found) : null;
    },
  });

  async function findOrFail(uri: string): Promise<RedirectUri> {
    const found = await find(uri);
    if (!found) throw entityNotFound('Redirect URI', uri);
    return found;
  }

  app.get('/redirect_uris', async function listRedirectUris() {
    return listJson({ data: await store.redirectUris.list(), before: null, after: null }, redirectUriJson);
  });

  app.post('/redirect_uris', async function addRedirectUri(request, reply) {
    const input = parseInput(addRedirectUriInput, request.body, 'body');
    const problem = redirectUriProblem(input.uri, ctx.config.env === 'production');
    if (problem !== undefined) throw invalidParameters([{ field: 'uri', code: 'uri_invalid', message: problem }]);
    if (await find(input.uri)) throw new HallpassError('conflict', `The redirect URI ${input.uri} is already allowed.`);
    return reply.status(201).send(redirectUriJson(await store.redirectUris.add(input.uri, input.default)));
  });

  app.put<ByUri>('/redirect_uris/:uri', async function updateRedirectUri(request) {
    const input = parseInput(updateRedirectUriInput, request.body, 'body');
    const current = await findOrFail(request.params.uri);
    if (input.default) return redirectUriJson(await store.redirectUris.add(current.uri, true));
    if (current.isDefault) await store.settings.update({ defaultRedirectUri: null });
    return redirectUriJson(await findOrFail(current.uri));
  });

  app.delete<ByUri>('/redirect_uris/:uri', async function removeRedirectUri(request, reply) {
    if (!(await store.redirectUris.remove(request.params.uri))) throw entityNotFound('Redirect URI', request.params.uri);
    return reply.status(204).send();
  });
}
