import { Button, LinkButton } from '../../pages/button.tsx';
import { Flash } from '../../pages/flash.tsx';
import { Field, Select } from '../../pages/form-field.tsx';
import { Layout, type Viewer } from '../../pages/layout.tsx';
import { Pagination, Table } from '../../pages/table.tsx';
import type { LoginAttempt } from '../../store/types.ts';
import { formatTime } from '../format.ts';
import { paths } from '../paths.ts';
import { initiatorDescription, initiatorLabel, outcomeBadge, outcomeLabel, outcomes, stepLabel } from './describe.ts';

/** Names of the organizations and connections a page mentions, by ID (absent: deleted since). */
export interface Names {
  organizations: Map<string, string>;
  connections: Map<string, string>;
}

export interface SessionFilters {
  organization?: string | undefined;
  connection?: string | undefined;
  outcome?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  search?: string | undefined;
}

export interface SignInSessionsPageProps {
  viewer: Viewer;
  sessions: LoginAttempt[];
  names: Names;
  filters: SessionFilters;
  /** Organizations to filter by. */
  organizationChoices: Array<{ id: string; name: string }>;
  previous?: string | undefined;
  next?: string | undefined;
}

export function SignInSessionsPage({ viewer, sessions, names, filters, organizationChoices, previous, next }: SignInSessionsPageProps) {
  const filtered = Object.values(filters).some((v) => v !== undefined);
  return (
    <Layout title="Sign-in sessions" viewer={viewer} section="sign-in-sessions">
      <h1>Sign-in sessions</h1>
      <p class="muted">Every sign-in through Hallpass, newest first. The reference on a person's error page finds their session here.</p>
      <form method="get" action={paths.signInSessions} class="panel filters" role="search" aria-label="Filter sign-in sessions">
        <div class="filter-grid">
          <Field label="Person or reference" name="search" type="search" value={filters.search} hint="Name, email, IdP ID, or the reference from an error page." spellcheck={false} />
          <Select
            label="Organization"
            name="organization"
            value={filters.organization ?? ''}
            options={[{ value: '', label: 'Any organization' }, ...organizationChoices.map((o) => ({ value: o.id, label: o.name }))]}
          />
          <Select label="Outcome" name="outcome" value={filters.outcome ?? ''} options={[{ value: '', label: 'Any outcome' }, ...outcomes.map((o) => ({ value: o, label: outcomeLabel(o) }))]} />
          <Field label="Connection ID" name="connection" value={filters.connection} spellcheck={false} />
          <Field label="From" name="from" type="date" value={filters.from} />
          <Field label="To" name="to" type="date" value={filters.to} />
        </div>
        <p class="muted">Days are UTC; “To” includes its day. Clever launches are sign-ins that started at the Clever Portal or an Instant Login link.</p>
        <div class="actions">
          <Button kind="primary">Search</Button>
          {filtered ? <LinkButton href={paths.signInSessions}>Clear filters</LinkButton> : null}
        </div>
      </form>
      <Table
        caption={filtered ? 'Sign-in sessions matching the filters' : 'Sign-in sessions'}
        head={['Time', 'Organization', 'Connection', 'How it started', 'Outcome', 'Who signed in']}
        empty={filtered ? 'No sign-in session matches these filters.' : 'No sign-ins yet.'}
      >
        {sessions.map((s) => (
          <tr>
            <td class="nowrap"><a href={paths.signInSession(s.id)}>{formatTime(s.createdAt)}</a></td>
            <td>
              {s.organizationId ? (
                <a href={paths.organization(s.organizationId)}>{names.organizations.get(s.organizationId) ?? s.organizationId}</a>
              ) : s.errorCode === 'organization_invalid' && s.districtId ? (
                <a href={paths.clever}>None serves this district</a>
              ) : (
                <span class="muted">—</span>
              )}
            </td>
            <td>{s.connectionId ? <a href={paths.connection(s.connectionId)}>{names.connections.get(s.connectionId) ?? s.connectionId}</a> : <span class="muted">—</span>}</td>
            <td>{initiatorLabel(s.initiatedBy)}</td>
            <td>
              <span class={outcomeBadge(s.outcome)}>{outcomeLabel(s.outcome)}</span>
              {s.errorCode ? <div class="muted"><code>{s.errorCode}</code></div> : null}
            </td>
            <td><Who session={s} /></td>
          </tr>
        ))}
      </Table>
      <Pagination previous={previous} next={next} />
    </Layout>
  );
}

function Who({ session: s }: { session: LoginAttempt }) {
  if (!s.name && !s.email && !s.idpId && !s.districtId) return <span class="muted">Not known yet</span>;
  return (
    <div class="who">
      {s.name ? <div>{s.name}</div> : null}
      {s.email ? <div>{s.email}</div> : null}
      {s.idpId ? <div class="muted">IdP ID <code>{s.idpId}</code></div> : null}
      {s.districtId ? <div class="muted">District <code>{s.districtId}</code></div> : null}
    </div>
  );
}

export function SignInSessionPage({ viewer, session: s, names }: { viewer: Viewer; session: LoginAttempt; names: Names }) {
  const steps = s.steps ?? [];
  const start = steps[0]?.at ?? s.createdAt;
  return (
    <Layout title="Sign-in session" viewer={viewer} section="sign-in-sessions" breadcrumbs={[{ label: 'Sign-in sessions', href: paths.signInSessions }]}>
      <h1>Sign-in session</h1>
      {s.outcome === 'failed' ? (
        <Flash kind="error">
          <p>
            This sign-in failed at <strong>{stepLabel(s.step)}</strong>
            {s.errorCode ? <> with <code>{s.errorCode}</code></> : null}.
          </p>
          {s.errorDescription ? <p>{s.errorDescription}</p> : null}
          {s.upstreamError ? <p>The identity provider said: <code>{s.upstreamError}</code></p> : null}
          {s.errorCode === 'organization_invalid' && s.districtId ? (
            <p>
              No organization serves Clever district <code>{s.districtId}</code>: <a href={paths.clever}>serve it from the Clever page</a>.
            </p>
          ) : null}
        </Flash>
      ) : null}
      <section class="panel" aria-labelledby="facts-heading">
        <h2 id="facts-heading">Summary</h2>
        <dl class="facts">
          <dt>Reference</dt>
          <dd><code>{s.id}</code></dd>
          <dt>Started</dt>
          <dd>{formatTime(s.createdAt)}</dd>
          <dt>How it started</dt>
          <dd>{initiatorDescription(s.initiatedBy)}</dd>
          <dt>Outcome</dt>
          <dd><span class={outcomeBadge(s.outcome)}>{outcomeLabel(s.outcome)}</span></dd>
          <dt>Organization</dt>
          <dd>{s.organizationId ? <a href={paths.organization(s.organizationId)}>{names.organizations.get(s.organizationId) ?? `${s.organizationId} (deleted)`}</a> : 'Not known'}</dd>
          <dt>Connection</dt>
          <dd>{s.connectionId ? <a href={paths.connection(s.connectionId)}>{names.connections.get(s.connectionId) ?? `${s.connectionId} (deleted)`}</a> : 'Not known'}</dd>
          <dt>Error code</dt>
          <dd>{s.errorCode ? <code>{s.errorCode}</code> : 'None'}</dd>
          <dt>The identity provider's error</dt>
          <dd>{s.upstreamError ? <code>{s.upstreamError}</code> : 'None'}</dd>
          <dt>Name</dt>
          <dd>{s.name ?? 'Not known'}</dd>
          <dt>Email</dt>
          <dd>{s.email ?? 'Not known'}</dd>
          <dt>IdP ID</dt>
          <dd>{s.idpId ? <code>{s.idpId}</code> : 'Not known'}</dd>
          <dt>District</dt>
          <dd>{s.districtId ? <code>{s.districtId}</code> : 'Not known'}</dd>
        </dl>
      </section>
      <section class="panel" aria-labelledby="steps-heading">
        <h2 id="steps-heading">Steps</h2>
        <Table caption="Steps reached, in order" head={['Step', 'Time', 'Since start']} empty="No steps recorded.">
          {steps.map((step, i) => {
            const failedHere = s.outcome === 'failed' && i === steps.length - 1;
            return (
              <tr>
                <td>{stepLabel(step.step)}{failedHere ? <> — <strong>failed</strong></> : null}</td>
                <td class="nowrap">{step.at.toISOString().replace('T', ' ').replace('Z', ' UTC')}</td>
                <td>{`${Math.max(0, step.at.getTime() - start.getTime())} ms`}</td>
              </tr>
            );
          })}
        </Table>
      </section>
      <section class="panel" aria-labelledby="claims-heading">
        <h2 id="claims-heading">Claims</h2>
        {s.claims ? (
          <>
            <p class="muted">The decoded ID-token claims (and userinfo or Clever Data API attributes) as Hallpass received them.</p>
            <pre tabindex={0} aria-label="Claims as JSON">{JSON.stringify(s.claims, null, 2)}</pre>
          </>
        ) : (
          <p class="muted">None: this sign-in did not get an answer from the identity provider.</p>
        )}
      </section>
    </Layout>
  );
}
