import { Button, LinkButton } from '../../pages/button.tsx';
import { Field, Select } from '../../pages/form-field.tsx';
import { Layout, type Viewer } from '../../pages/layout.tsx';
import { Pagination, Table } from '../../pages/table.tsx';
import type { AuditActor, AuditEntry } from '../../store/types.ts';
import { formatTime } from '../format.ts';
import { paths } from '../paths.ts';

export interface AuditFiltersForm {
  actor?: string | undefined;
  name?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export const actorTypes = [
  { value: 'admin', label: 'Admins' },
  { value: 'api_key', label: 'API keys' },
  { value: 'setup_link', label: 'Setup links' },
  { value: 'system', label: 'Command line and system' },
] as const;

export const targetTypes = [
  { value: 'organization', label: 'Organizations' },
  { value: 'connection', label: 'Connections' },
  { value: 'api_key', label: 'API keys' },
  { value: 'redirect_uri', label: 'Redirect URIs' },
  { value: 'settings', label: 'Settings' },
  { value: 'admin', label: 'Admins' },
] as const;

export interface AuditLogPageProps {
  viewer: Viewer;
  entries: AuditEntry[];
  filters: AuditFiltersForm;
  previous?: string | undefined;
  next?: string | undefined;
}

export function AuditLogPage({ viewer, entries, filters, previous, next }: AuditLogPageProps) {
  const filtered = Object.values(filters).some((v) => v !== undefined);
  return (
    <Layout title="Audit log" viewer={viewer} section="audit-log">
      <h1>Audit log</h1>
      <p class="muted">Every change made through this dashboard, the management API or the command line: who, what, when and what changed. Secrets show only as “set” or “changed”.</p>
      <form method="get" action={paths.auditLog} class="panel" role="search" aria-label="Filter the audit log">
        <div class="filter-grid">
          <Select label="Who" name="actor" value={filters.actor ?? ''} options={[{ value: '', label: 'Anyone' }, ...actorTypes]} />
          <Field label="Admin or key name" name="name" value={filters.name} spellcheck={false} />
          <Select label="What" name="action" value={filters.action ?? ''} options={[{ value: '', label: 'Any change' }, ...targetTypes]} />
          <Field label="Target ID" name="target" value={filters.target} spellcheck={false} hint="An organization, connection or API key ID, or a redirect URI." />
          <Field label="From" name="from" type="date" value={filters.from} />
          <Field label="To" name="to" type="date" value={filters.to} />
        </div>
        <p class="muted">Days are UTC; “To” includes its day.</p>
        <div class="actions">
          <Button kind="primary">Filter</Button>
          {filtered ? <LinkButton href={paths.auditLog}>Clear filters</LinkButton> : null}
        </div>
      </form>
      <Table caption={filtered ? 'Changes matching the filters' : 'Changes, newest first'} head={['Time', 'Who', 'What', 'Changes']} empty={filtered ? 'No change matches these filters.' : 'No changes yet.'}>
        {entries.map((entry) => (
          <tr>
            <td class="nowrap">{formatTime(entry.at)}</td>
            <td><ActorName actor={entry.actor} /></td>
            <td class="what">
              <code>{entry.action}</code>
              {entry.targetId ? <div><Target entry={entry} /></div> : null}
            </td>
            <td><Changes changes={entry.changes} /></td>
          </tr>
        ))}
      </Table>
      <Pagination previous={previous} next={next} />
    </Layout>
  );
}

function ActorName({ actor }: { actor: AuditActor }) {
  const kind = actor.type === 'admin' ? 'Admin' : actor.type === 'api_key' ? 'API key' : actor.type === 'setup_link' ? 'Setup link' : 'System';
  return <>{actor.name}<div class="muted">{kind}</div></>;
}

function Target({ entry }: { entry: AuditEntry }) {
  const id = entry.targetId!;
  if (entry.targetType === 'organization' && !entry.action.endsWith('.deleted')) return <a href={paths.organization(id)}>{id}</a>;
  if (entry.targetType === 'connection' && !entry.action.endsWith('.deleted')) return <a href={paths.connection(id)}>{id}</a>;
  return <code>{id}</code>;
}

function Changes({ changes }: { changes: AuditEntry['changes'] }) {
  const fields = Object.entries(changes);
  if (fields.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="changes">
      {fields.map(([field, change]) => (
        <li>
          <strong>{field}</strong>:{' '}
          {'from' in change && 'to' in change ? (
            <><code>{show(change.from)}</code> → <code>{show(change.to)}</code></>
          ) : 'to' in change ? (
            <code>{show(change.to)}</code>
          ) : (
            <><code>{show(change.from)}</code> (removed)</>
          )}
        </li>
      ))}
    </ul>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
