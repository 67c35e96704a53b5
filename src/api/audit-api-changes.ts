/**
 * Records every change made through the management API in the audit log,
 * with the API key's name as the actor. Each route file calls
 * {@link auditApiChanges} once: its hooks see every POST, PUT and DELETE of
 * that file's routes, snapshot the record before the handler runs, and
 * compare it with the JSON the handler answers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditChanges, recordAudit, type SecretChange } from '../audit/record-audit.ts';
import type { HallpassContext } from '../context.ts';
import type { AuditActor } from '../store/types.ts';

type Snapshot = Record<string, unknown> | null;
type ChangingMethod = 'POST' | 'PUT' | 'DELETE';

export interface AuditedRoutes {
  /** `organization`, `connection`, `api_key`, `redirect_uri`. */
  targetType: string;
  /** The route parameter naming the record (`id` by default). */
  idParam?: string;
  /** The record as the API shows it, or null when there is none. */
  snapshot(id: string): Promise<Snapshot>;
  /** Secret fields a request body changes, reported only as "set", "changed" or "removed". */
  secrets?(body: Record<string, unknown>, before: Snapshot): Record<string, SecretChange | undefined>;
  /** Verbs for the action name; `created`, `updated`, `deleted` by default. */
  verbs?: Partial<Record<ChangingMethod, string>>;
}

const DEFAULT_VERBS: Record<ChangingMethod, string> = { POST: 'created', PUT: 'updated', DELETE: 'deleted' };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made this management API request (set by API-key authentication). */
    auditActor: AuditActor | null;
    /** The record before a change, for the audit log. */
    auditBefore: Snapshot | undefined;
  }
}

/** Registers the audit hooks on one route file's plugin. */
export function auditApiChanges(app: FastifyInstance, ctx: HallpassContext, routes: AuditedRoutes): void {
  const idParam = routes.idParam ?? 'id';
  const targetIdOf = (request: FastifyRequest) => (request.params as Record<string, string | undefined>)[idParam];

  app.addHook('preHandler', async function snapshotBeforeChange(request) {
    const id = targetIdOf(request);
    // A route without an ID parameter changes a single record (the settings) or creates one.
    if (isChange(request) && (id !== undefined || request.method === 'PUT')) request.auditBefore = await routes.snapshot(id ?? '');
  });

  app.addHook('onSend', async function recordApiChange(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    // Failed requests changed nothing; an Idempotency-Key replay was recorded the first time.
    if (!isChange(request) || reply.statusCode >= 300 || reply.getHeader('idempotent-replayed') !== undefined) return payload;
    const method = request.method as ChangingMethod;
    const before = request.auditBefore ?? null;
    const after = method === 'DELETE' ? null : parseJsonObject(payload);
    const body = request.body !== null && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    const targetId = targetIdOf(request) ?? stringField(after, 'id') ?? stringField(after, 'uri') ?? null;
    await recordAudit(ctx, {
      actor: request.auditActor ?? { type: 'system', id: null, name: 'unknown' },
      action: `${routes.targetType}.${routes.verbs?.[method] ?? DEFAULT_VERBS[method]}`,
      targetType: routes.targetType,
      targetId,
      changes: auditChanges(before, after, routes.secrets?.(body, before) ?? {}),
    });
    return payload;
  });
}

function isChange(request: FastifyRequest): boolean {
  return request.method === 'POST' || request.method === 'PUT' || request.method === 'DELETE';
}

function parseJsonObject(payload: unknown): Snapshot {
  if (typeof payload !== 'string' || payload === '') return null;
  try {
    const value: unknown = JSON.parse(payload);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function stringField(record: Snapshot, field: string): string | undefined {
  const value = record?.[field];
  return typeof value === 'string' ? value : undefined;
}
