/**
 * `POST /portal/generate_link`: WorkOS's Admin Portal link, so the unmodified
 * SDK (`workos.portal.generateLink` in 8.x, `workos.adminPortal.generateLink`
 * later) makes a Hallpass setup link. Only the `sso` intent exists here.
 * Audited by createSetupLink itself: the answer holds the link's token, which
 * the generic API audit hook would otherwise compare and log.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AreaOptions } from '../context.ts';
import { createSetupLink } from '../setup/create-setup-link.ts';
import { parseInput } from './parse-input.ts';

const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);

const generateLinkInput = z.object({
  organization: z.string().min(1).max(200),
  intent: z.literal('sso', { message: "intent must be 'sso' (the only setup Hallpass offers)" }),
  return_url: httpUrl.nullish(),
  success_url: httpUrl.nullish(),
});

export default async function setupLinkRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  app.post('/portal/generate_link', async function generateLink(request, reply) {
    const input = parseInput(generateLinkInput, request.body, 'body');
    const { url } = await createSetupLink(ctx, {
      organizationId: input.organization,
      madeThrough: 'api',
      returnUrl: input.return_url ?? null,
      successUrl: input.success_url ?? null,
      actor: request.auditActor ?? { type: 'system', id: null, name: 'unknown' },
    });
    return reply.status(201).header('cache-control', 'no-store').send({ link: url });
  });
}
