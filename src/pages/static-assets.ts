/**
 * Serves the pages' stylesheet and scripts from `src/pages/static/`. The
 * files are few and small, so they are read once at start-up and served
 * from memory; only names on this list exist.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const types: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

const files = ['styles.css', 'copy.js', 'confirm.js'] as const;
export type AssetName = (typeof files)[number];

const PREFIX = '/static/';

/** The URL of a static asset. */
export function assetPath(name: AssetName): string {
  return `${PREFIX}${name}`;
}

export default async function staticAssets(app: FastifyInstance): Promise<void> {
  const assets = new Map(
    files.map((name) => [name as string, { body: readFileSync(new URL(`./static/${name}`, import.meta.url)), type: types[name.split('.').pop()!]! }]),
  );
  app.get<{ Params: { name: string } }>(`${PREFIX}:name`, async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    return reply.type(asset.type).header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(asset.body);
  });
}
