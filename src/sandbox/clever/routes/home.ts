import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { homePage } from '../pages/home-page.ts';
import { sendPage } from '../pages/send-page.ts';

/** `GET /`: districts, users with their sign-in names and passwords, apps and ready-made login links. */
export function homeRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/', async (_request, reply) => sendPage(reply, homePage(ctx.issuer, ctx.directory, ctx.claims)));
}
