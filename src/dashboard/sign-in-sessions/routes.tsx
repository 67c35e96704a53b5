/** Sign-in sessions: the login-attempt log with filters, and one session's steps, errors and claims. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AreaOptions, HallpassContext } from '../../context.ts';
import { HallpassError } from '../../errors.ts';
import { sendPage } from '../../pages/send-page.ts';
import type { LoginAttempt } from '../../store/types.ts';
import { queryChoice, queryCursor, queryDay, queryText } from '../list-query.ts';
import { paths } from '../paths.ts';
import { viewerOf } from '../viewer.ts';
import { outcomes } from './describe.ts';
import { SignInSessionPage, SignInSessionsPage, type Names, type SessionFilters } from './pages.tsx';

const PAGE_SIZE = 25;
const REFERENCE = /^login_[0-9A-Z]{26}$/;

export default async function signInSessionRoutes(app: FastifyInstance, { ctx }: AreaOptions): Promise<void> {
  app.get('/sign-in-sessions', async function listSignInSessions(request: FastifyRequest, reply: FastifyReply) {
    const query = request.query;
    const filters: SessionFilters = {
      search: queryText(query, 'search'),
      organization: queryText(query, 'organization'),
      connection: queryText(query, 'connection'),
      outcome: queryChoice(query, 'outcome', outcomes),
      from: queryText(query, 'from'),
      to: queryText(query, 'to'),
    };
    const since = queryDay(query, 'from');
    const until = queryDay(query, 'to', true);
    // A reference from an error page opens its session directly.
    if (filters.search !== undefined && REFERENCE.test(filters.search) && (await ctx.store.loginAttempts.find(filters.search))) {
      return reply.redirect(paths.signInSession(filters.search), 303);
    }
    const page = await ctx.store.loginAttempts.list({
      limit: PAGE_SIZE,
      order: 'desc',
      ...queryCursor(query),
      ...(filters.search !== undefined ? { search: filters.search } : {}),
      ...(filters.organization !== undefined ? { organizationId: filters.organization } : {}),
      ...(filters.connection !== undefined ? { connectionId: filters.connection } : {}),
      ...(filters.outcome !== undefined ? { outcome: filters.outcome as LoginAttempt['outcome'] } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    });
    const [names, organizations] = await Promise.all([namesFor(ctx, page.data), ctx.store.organizations.list({ limit: 100, order: 'desc' })]);
    const link = (cursor: { after?: string; before?: string }) => `${paths.signInSessions}?${new URLSearchParams({ ...definedOnly(filters), ...cursor })}`;
    return sendPage(
      reply,
      200,
      <SignInSessionsPage
        viewer={viewerOf(request, reply)}
        sessions={page.data}
        names={names}
        filters={filters}
        organizationChoices={organizations.data.map((o) => ({ id: o.id, name: o.name })).sort((a, b) => a.name.localeCompare(b.name))}
        previous={page.before ? link({ before: page.before }) : undefined}
        next={page.after ? link({ after: page.after }) : undefined}
      />,
    );
  });

  app.get<{ Params: { id: string } }>('/sign-in-sessions/:id', async function showSignInSession(request, reply) {
    const session = await ctx.store.loginAttempts.find(request.params.id);
    if (!session) throw new HallpassError('entity_not_found', `There is no sign-in session with the reference ${request.params.id}.`);
    return sendPage(reply, 200, <SignInSessionPage viewer={viewerOf(request, reply)} session={session} names={await namesFor(ctx, [session])} />);
  });
}

/** The names of the organizations and connections the sessions mention (one read each, at most a page's worth). */
async function namesFor(ctx: HallpassContext, sessions: LoginAttempt[]): Promise<Names> {
  const organizationIds = [...new Set(sessions.map((s) => s.organizationId).filter((id): id is string => id !== null))];
  const connectionIds = [...new Set(sessions.map((s) => s.connectionId).filter((id): id is string => id !== null))];
  const [organizations, connections] = await Promise.all([
    Promise.all(organizationIds.map((id) => ctx.store.organizations.find(id))),
    Promise.all(connectionIds.map((id) => ctx.store.connections.find(id))),
  ]);
  return {
    organizations: new Map(organizations.filter((o) => o !== undefined).map((o) => [o.id, o.name])),
    connections: new Map(connections.filter((c) => c !== undefined).map((c) => [c.id, c.name])),
  };
}

function definedOnly(record: object): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
}
