/** Audit log: every change, who made it and what changed, filterable by who, what, target and days. */
import type { FastifyInstance } from 'fastify';
import type { AreaOptions } from '../../context.ts';
import { sendPage } from '../../pages/send-page.ts';
import type { AuditActorType } from '../../store/types.ts';
import { queryChoice, queryCursor, queryDay, queryText } from '../list-query.ts';
import { paths } from '../paths.ts';
import { viewerOf } from '../viewer.ts';
import { actorTypes, AuditLogPage, targetTypes, type AuditFiltersForm } from './pages.tsx';

const PAGE_SIZE = 50;

export default async function auditLogRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  app.get('/audit-log', async function showAuditLog(request, reply) {
    const query = request.query;
    const filters: AuditFiltersForm = {
      actor: queryChoice(query, 'actor', actorTypes.map((a) => a.value)),
      name: queryText(query, 'name'),
      action: queryChoice(query, 'action', targetTypes.map((t) => t.value)),
      target: queryText(query, 'target', 2048),
      from: queryText(query, 'from'),
      to: queryText(query, 'to'),
    };
    const since = queryDay(query, 'from');
    const until = queryDay(query, 'to', true);
    const page = await ctx.store.auditLog.list({
      limit: PAGE_SIZE,
      order: 'desc',
      ...queryCursor(query),
      ...(filters.actor ? { actorType: filters.actor as AuditActorType } : {}),
      ...(filters.name ? { actorName: filters.name } : {}),
      ...(filters.action ? { targetType: filters.action } : {}),
      ...(filters.target ? { targetId: filters.target } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    });
    const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const link = (cursor: Record<string, string>) => `${paths.auditLog}?${new URLSearchParams({ ...defined, ...cursor })}`;
    return sendPage(
      reply,
      200,
      <AuditLogPage
        viewer={viewerOf(request, reply)}
        entries={page.data}
        filters={filters}
        previous={page.before ? link({ before: page.before }) : undefined}
        next={page.after ? link({ after: page.after }) : undefined}
      />,
    );
  });
}
