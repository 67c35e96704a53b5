/**
 * `/api_keys`: list, create and revoke the application's API keys. A new key
 * is answered once; afterwards only its name and last four characters are shown.
 * A revoked key is refused at once by this instance (its read cache is
 * dropped) and by other instances within the read cache's 5 seconds.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AreaOptions } from '../context.ts';
import { apiKeyJson } from './api-key-json.ts';
import { auditApiChanges } from './audit-api-changes.ts';
import { API_KEY_NAME_MAX_LENGTH, createApiKey } from './create-api-key.ts';
import { entityNotFound } from './entity-not-found.ts';
import { sendIdempotently } from './idempotency.ts';
import { listJson } from './pagination.ts';
import { parseInput } from './parse-input.ts';

const createApiKeyInput = z.object({ name: z.string().trim().min(1).max(API_KEY_NAME_MAX_LENGTH) });

export default async function apiKeyRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  const { store } = ctx;

  auditApiChanges(app, ctx, {
    targetType: 'api_key',
    async snapshot(id) {
      const key = (await store.apiKeys.list()).find((k) => k.id === id);
      return key ? apiKeyJson(key) : null;
    },
    // The new key's value is in the answer to POST: log only that one was issued.
    secrets: (_body, before) => (before === null ? { value: 'set' } : {}),
    verbs: { DELETE: 'revoked' },
  });

  app.get('/api_keys', async function listApiKeys() {
    const keys = await store.apiKeys.list();
    return listJson({ data: keys, before: null, after: null }, apiKeyJson);
  });

  app.post('/api_keys', async function createKey(request, reply) {
    const input = parseInput(createApiKeyInput, request.body, 'body');
    return sendIdempotently(ctx, request, reply, 'POST /api_keys', async () => {
      const { apiKey, key } = await createApiKey(store, input.name);
      return { status: 201, body: { ...apiKeyJson(apiKey), value: key } };
    });
  });

  app.delete<{ Params: { id: string } }>('/api_keys/:id', async function revokeApiKey(request, reply) {
    if (!(await store.apiKeys.revoke(request.params.id))) throw entityNotFound('API key', request.params.id);
    return reply.status(204).send();
  });
}
