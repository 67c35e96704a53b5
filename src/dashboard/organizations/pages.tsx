import { Button, LinkButton, PostButton } from '../../pages/button.tsx';
import { CsrfField } from '../../pages/csrf-field.tsx';
import { Flash } from '../../pages/flash.tsx';
import { Checkbox, Field, Select } from '../../pages/form-field.tsx';
import { Layout, type Viewer } from '../../pages/layout.tsx';
import { Pagination, Table } from '../../pages/table.tsx';
import type { Connection, LoginAttempt, Organization } from '../../store/types.ts';
import { OutcomeBadge, providerNames, StateBadge } from '../connections/labels.tsx';
import { formatTime } from '../format.ts';
import { paths } from '../paths.ts';

const crumbs = [{ label: 'Organizations', href: paths.organizations() }];
const orgCrumbs = (org: Organization) => [...crumbs, { label: org.name, href: paths.organization(org.id) }];

export interface OrganizationListProps {
  viewer: Viewer;
  organizations: Organization[];
  search: string;
  previous?: string | undefined;
  next?: string | undefined;
  notice?: string | undefined;
}

export function OrganizationListPage({ viewer, organizations, search, previous, next, notice }: OrganizationListProps) {
  return (
    <Layout title="Organizations" viewer={viewer} section="organizations">
      <div class="page-head">
        <h1>Organizations</h1>
        <LinkButton href={paths.newOrganization} kind="primary">Create organization</LinkButton>
      </div>
      {notice ? <Flash kind="success"><p>{notice}</p></Flash> : null}
      <form method="get" action={paths.organizations()} class="inline-form" role="search">
        <Field label="Search by name or domain" name="search" type="search" value={search} required />
        <Button>Search</Button>
        {search ? <a href={paths.organizations()}>Show all</a> : null}
      </form>
      <Table
        caption={search ? `Organizations matching “${search}”` : 'All organizations'}
        head={['Name', 'Domains', 'External ID', 'Created']}
        empty={search ? `No organization has “${search}” in its name or domains.` : 'No organizations yet. Create one for each district or customer that signs in.'}
      >
        {organizations.map((org) => (
          <tr>
            <td><a href={paths.organization(org.id)}>{org.name}</a></td>
            <td>{org.domains.map((d) => d.domain).join(', ') || <span class="muted">none</span>}</td>
            <td>{org.externalId ?? <span class="muted">none</span>}</td>
            <td>{formatTime(org.createdAt)}</td>
          </tr>
        ))}
      </Table>
      <Pagination previous={previous} next={next} />
    </Layout>
  );
}

/** What the organization form holds, as typed. */
export interface OrganizationFormValues {
  name: string;
  domains: string;
  external_id: string;
  allow_profiles_outside_organization: boolean;
}

export interface OrganizationFormProps {
  viewer: Viewer;
  values: OrganizationFormValues;
  errors: Record<string, string>;
  /** Editing this organization; creating one when absent. */
  organization?: Organization | undefined;
}

export function OrganizationFormPage({ viewer, values, errors, organization }: OrganizationFormProps) {
  const title = organization ? `Edit ${organization.name}` : 'Create organization';
  return (
    <Layout title={title} viewer={viewer} section="organizations" breadcrumbs={organization ? orgCrumbs(organization) : crumbs}>
      <h1>{title}</h1>
      {errors.form ? <Flash kind="error"><p>{errors.form}</p></Flash> : Object.keys(errors).length > 0 ? (
        <Flash kind="error"><p>Some values need fixing; see the messages next to the fields.</p></Flash>
      ) : null}
      <form method="post" action={organization ? paths.editOrganization(organization.id) : paths.newOrganization} class="stack panel" novalidate>
        <CsrfField token={viewer.csrf} />
        <Field label="Name" name="name" value={values.name} error={errors.name} required autocomplete="off" />
        <Field
          label="Domains"
          name="domains"
          value={values.domains}
          error={errors.domains}
          autocomplete="off"
          spellcheck={false}
          hint="The email domains of the organization's people, separated by commas or spaces, e.g. springfield.k12.example"
        />
        <Field label="External ID" name="external_id" value={values.external_id} error={errors.external_id} autocomplete="off" spellcheck={false} hint="Your application's own identifier for this customer." />
        <Checkbox
          label="Allow profiles outside organization"
          name="allow_profiles_outside_organization"
          checked={values.allow_profiles_outside_organization}
          error={errors.allow_profiles_outside_organization}
          hint="Accept sign-ins whose email is not in one of the domains above (for example students without school email)."
        />
        <div class="actions">
          <Button kind="primary">{organization ? 'Save changes' : 'Create organization'}</Button>
          <a href={organization ? paths.organization(organization.id) : paths.organizations()}>Cancel</a>
        </div>
      </form>
    </Layout>
  );
}

export interface OrganizationPageProps {
  viewer: Viewer;
  organization: Organization;
  connections: Connection[];
  signIns: LoginAttempt[];
  connectionNames: Map<string, string>;
  notice?: string | undefined;
}

export function OrganizationPage({ viewer, organization: org, connections, signIns, connectionNames, notice }: OrganizationPageProps) {
  return (
    <Layout title={org.name} viewer={viewer} section="organizations" breadcrumbs={crumbs}>
      <div class="page-head">
        <h1>{org.name}</h1>
        <div class="actions">
          <LinkButton href={paths.editOrganization(org.id)}>Edit organization</LinkButton>
          <LinkButton href={paths.deleteOrganization(org.id)} kind="danger">Delete organization</LinkButton>
        </div>
      </div>
      {notice ? <Flash kind="success"><p>{notice}</p></Flash> : null}
      <section class="panel" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl class="facts">
          <dt>ID</dt>
          <dd><code>{org.id}</code></dd>
          <dt>Domains</dt>
          <dd>{org.domains.length ? org.domains.map((d) => `${d.domain}${d.state === 'pending' ? ' (pending)' : ''}`).join(', ') : <span class="muted">none</span>}</dd>
          <dt>External ID</dt>
          <dd>{org.externalId ?? <span class="muted">none</span>}</dd>
          <dt>Profiles outside organization</dt>
          <dd>{org.allowProfilesOutsideOrganization ? 'Allowed' : 'Refused: emails must be in the domains above'}</dd>
          <dt>Created</dt>
          <dd>{formatTime(org.createdAt)}</dd>
        </dl>
      </section>
      <section class="panel" aria-labelledby="sso-heading">
        <div class="page-head">
          <h2 id="sso-heading">Single Sign-On</h2>
          <div class="district-actions">
            <LinkButton href={`${paths.organization(org.id)}/setup-links`}>Setup links</LinkButton>
            <LinkButton href={paths.newConnection(org.id)} kind="primary">Configure manually</LinkButton>
          </div>
        </div>
        <Table caption="SSO connections" head={['Connection', 'Identity provider', 'State', 'Created']} empty="No SSO connection yet. Choose Configure manually to set one up.">
          {connections.map((c) => (
            <tr>
              <td><a href={paths.connection(c.id)}>{c.name}</a></td>
              <td>{providerNames[c.connectionType]}{c.districtId ? <span class="muted"> · district {c.districtId}</span> : null}</td>
              <td><StateBadge state={c.state} /></td>
              <td>{formatTime(c.createdAt)}</td>
            </tr>
          ))}
        </Table>
      </section>
      <section class="panel" aria-labelledby="sign-ins-heading">
        <h2 id="sign-ins-heading">Recent sign-ins</h2>
        <SignInTable attempts={signIns} connectionNames={connectionNames} empty="Nobody has signed in to this organization yet." />
      </section>
    </Layout>
  );
}

/** Recent login attempts: when, who, through which connection, how it ended. */
export function SignInTable({ attempts, connectionNames, empty }: { attempts: LoginAttempt[]; connectionNames: Map<string, string>; empty: string }) {
  return (
    <Table caption="Latest sign-in attempts" head={['Time', 'Person', 'Connection', 'Outcome', 'Reference']} empty={empty}>
      {attempts.map((a) => (
        <tr>
          <td>{formatTime(a.createdAt)}</td>
          <td>{a.email ?? a.idpId ?? <span class="muted">not known yet</span>}</td>
          <td>{a.connectionId ? connectionNames.get(a.connectionId) ?? a.connectionId : <span class="muted">none</span>}</td>
          <td><OutcomeBadge outcome={a.outcome} />{a.errorCode ? <span class="muted"> {a.errorCode}</span> : null}</td>
          <td><a href={paths.signInSession(a.id)}><code>{a.id}</code></a></td>
        </tr>
      ))}
    </Table>
  );
}

export function DeleteOrganizationPage({ viewer, organization: org, connections }: { viewer: Viewer; organization: Organization; connections: Connection[] }) {
  return (
    <Layout title={`Delete ${org.name}`} viewer={viewer} section="organizations" breadcrumbs={orgCrumbs(org)}>
      <h1>Delete {org.name}?</h1>
      <Flash kind="warning">
        <p>This cannot be undone. Deleting the organization also deletes:</p>
        <ul>
          {connections.length === 0 ? <li>no SSO connections (it has none)</li> : connections.map((c) => (
            <li>the SSO connection <strong>{c.name}</strong> ({providerNames[c.connectionType]}, {c.state}); its people can no longer sign in</li>
          ))}
          <li>{org.domains.length === 0 ? 'no domains (it has none)' : `its domains: ${org.domains.map((d) => d.domain).join(', ')}`}</li>
        </ul>
        <p>The record of past sign-ins is kept.</p>
      </Flash>
      <div class="actions">
        <PostButton action={paths.deleteOrganization(org.id)} csrf={viewer.csrf} kind="danger">Delete organization</PostButton>
        <a href={paths.organization(org.id)}>Cancel</a>
      </div>
    </Layout>
  );
}

export interface NewConnectionPageProps {
  viewer: Viewer;
  organization: Organization;
  error?: string | undefined;
}

/** "Configure manually": choose the identity provider, then Create connection. */
export function NewConnectionPage({ viewer, organization: org, error }: NewConnectionPageProps) {
  return (
    <Layout title="Configure SSO manually" viewer={viewer} section="organizations" breadcrumbs={orgCrumbs(org)}>
      <h1>Configure Single Sign-On for {org.name}</h1>
      <form method="post" action={paths.newConnection(org.id)} class="stack panel">
        <CsrfField token={viewer.csrf} />
        <Select
          label="Identity provider"
          name="connection_type"
          error={error}
          options={[
            { value: 'CleverOIDC', label: providerNames.CleverOIDC },
            { value: 'GenericOIDC', label: providerNames.GenericOIDC },
          ]}
          hint="Clever OIDC for school districts that sign in with Clever; OpenID Connect for any other identity provider (Okta, Entra ID, Google, Keycloak, …)."
        />
        <div class="actions">
          <Button kind="primary">Create connection</Button>
          <a href={paths.organization(org.id)}>Cancel</a>
        </div>
      </form>
    </Layout>
  );
}
