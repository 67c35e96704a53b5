/**
 * Making a setup link: the one rule behind `POST /portal/generate_link` and
 * the dashboard's "Create setup link". The token (32 random bytes) appears
 * once, in the returned URL; only its SHA-256 is stored.
 *
 * Lifetimes: a link made through the API lives 5 minutes until it is first
 * opened, as WorkOS's Admin Portal links do, and then as long as a dashboard
 * session may (`HALLPASS_ADMIN_SESSION_MAX_HOURS`), long enough to finish a
 * setup. A link made in the dashboard lives `HALLPASS_SETUP_LINK_DAYS`.
 */
import { randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/record-audit.ts';
import type { HallpassContext } from '../context.ts';
import { entityNotFound } from '../api/entity-not-found.ts';
import { newId } from '../ids.ts';
import { hashSecret } from '../secrets.ts';
import type { AuditActor, SetupLink } from '../store/types.ts';

/** How long an API-made link waits to be opened. */
export const UNOPENED_API_LINK_MS = 5 * 60_000;

export interface NewSetupLink {
  organizationId: string;
  /** `api`: 5 minutes until first opened; `dashboard`: HALLPASS_SETUP_LINK_DAYS. */
  madeThrough: 'api' | 'dashboard';
  cleverClientId?: string | null;
  returnUrl?: string | null;
  successUrl?: string | null;
  actor: AuditActor;
}

/** @throws HallpassError `entity_not_found` for an unknown organization. */
export async function createSetupLink(ctx: HallpassContext, input: NewSetupLink): Promise<{ link: SetupLink; url: string }> {
  const organization = await ctx.store.organizations.find(input.organizationId);
  if (!organization) throw entityNotFound('Organization', input.organizationId);
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const link = await ctx.store.setupLinks.create({
    id: newId('setup_link'),
    organizationId: organization.id,
    tokenHash: hashSecret(token),
    intent: 'sso',
    madeThrough: input.madeThrough,
    cleverClientId: input.cleverClientId ?? null,
    returnUrl: input.returnUrl ?? null,
    successUrl: input.successUrl ?? null,
    createdBy: `${input.actor.type === 'api_key' ? 'API key' : input.actor.type === 'admin' ? 'admin' : input.actor.type} ${input.actor.name}`,
    createdAt: new Date(now),
    expiresAt: new Date(now + (input.madeThrough === 'api' ? UNOPENED_API_LINK_MS : ctx.config.admin.setupLinkMs)),
  });
  // Never the token: it is the link's credential.
  await recordAudit(ctx, {
    actor: input.actor,
    action: 'setup_link.created',
    targetType: 'setup_link',
    targetId: link.id,
    changes: {
      organization_id: { to: organization.id },
      expires_at: { to: link.expiresAt.toISOString() },
      ...(link.cleverClientId ? { clever_client_id: { to: link.cleverClientId } } : {}),
    },
  });
  return { link, url: setupLinkUrl(ctx.config.publicUrl, token) };
}

export function setupLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/setup/${token}`;
}

export type SetupLinkStatus = 'active' | 'expired' | 'revoked';

export function setupLinkStatus(link: SetupLink, now: Date): SetupLinkStatus {
  if (link.revokedAt) return 'revoked';
  return link.expiresAt.getTime() > now.getTime() ? 'active' : 'expired';
}
