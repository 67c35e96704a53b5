/** Organizations: list, search, create, show, edit, delete. */
import type { FastifyInstance } from 'fastify';
import type { AreaOptions } from '../../context.ts';
import { Layout } from '../../pages/layout.tsx';
import { sendPage } from '../../pages/send-page.ts';
import { viewerOf } from '../viewer.ts';

export default async function organizationRoutes(app: FastifyInstance, { ctx: _ctx }: AreaOptions): Promise<void> {
  app.get('/organizations', async (request, reply) =>
    sendPage(reply, 200, <Layout title="Organizations" viewer={viewerOf(request, reply)} section="organizations"><h1>Organizations</h1></Layout>),
  );
}
