import { Button, LinkButton, PostButton } from '../../pages/button.tsx';
import { CsrfField } from '../../pages/csrf-field.tsx';
import { Flash } from '../../pages/flash.tsx';
import { CopyValue, Field } from '../../pages/form-field.tsx';
import { Layout, type Viewer } from '../../pages/layout.tsx';
import { Table } from '../../pages/table.tsx';
import type { Connection, Organization, RoleMapping } from '../../store/types.ts';
import { paths } from '../paths.ts';
import { providerNames, StateBadge } from './labels.tsx';
import type { TestResult } from '../../sso/test-result.ts';

/** The Settings form as typed (the client secret never comes back). */
export interface SettingsValues {
  name: string;
  client_id: string;
  discovery_endpoint: string;
  district_id: string;
}

export interface ConnectionPageProps {
  viewer: Viewer;
  connection: Connection;
  organization: Organization;
  redirectUri: string;
  defaultRole: string;
  /** Fields still missing before the connection can leave draft (API names). */
  missing: string[];
  notice?: string | undefined;
  settings?: { values: SettingsValues; errors: Record<string, string> } | undefined;
  roles?: { group: string; role: string; errors: Record<string, string> } | undefined;
  test?: TestResult | undefined;
  /** For Clever connections whose discovery endpoint is a Clever sandbox: where a Portal launch and an Instant Login start. */
  sandboxLaunches?: { portal: string; instantLogin: string } | undefined;
  error?: string | undefined;
}

const fieldNames: Record<string, string> = {
  client_id: 'the Client ID',
  client_secret: 'the Client secret',
  discovery_endpoint: 'the Discovery endpoint',
  district_id: 'the District ID',
};

export function ConnectionPage(props: ConnectionPageProps) {
  const { viewer, connection: c, organization: org, notice, error } = props;
  return (
    <Layout
      title={c.name}
      viewer={viewer}
      section="organizations"
      breadcrumbs={[{ label: 'Organizations', href: paths.organizations() }, { label: org.name, href: paths.organization(org.id) }]}
    >
      <div class="page-head">
        <div>
          <h1>{c.name}</h1>
          <p class="muted">{providerNames[c.connectionType]} connection · <code>{c.id}</code></p>
        </div>
        <div class="actions">
          {c.state === 'inactive' ? (
            <PostButton action={paths.connectionState(c.id)} csrf={viewer.csrf} fields={{ state: 'active' }}>Activate connection</PostButton>
          ) : (
            <PostButton action={paths.connectionState(c.id)} csrf={viewer.csrf} fields={{ state: 'inactive' }} confirm="Deactivate this connection? Sign-ins through it will be refused.">Deactivate connection</PostButton>
          )}
          <LinkButton href={paths.deleteConnection(c.id)} kind="danger">Delete connection</LinkButton>
        </div>
      </div>
      {notice ? <Flash kind={c.state === 'draft' ? 'warning' : 'success'}><p>{notice}</p></Flash> : null}
      {error ? <Flash kind="error"><p>{error}</p></Flash> : null}
      {props.test ? <TestResultPanel result={props.test} /> : null}
      <StatePanel connection={c} missing={props.missing} />
      <ServiceProviderDetails connection={c} redirectUri={props.redirectUri} />
      <SettingsPanel {...props} />
      <TestSsoPanel {...props} />
      <RoleAssignment {...props} />
    </Layout>
  );
}

function StatePanel({ connection: c, missing }: { connection: Connection; missing: string[] }) {
  let why: string;
  if (c.state === 'active') why = 'People can sign in through this connection.';
  else if (c.state === 'inactive') why = 'This connection is switched off: sign-ins through it are refused. Activate it to allow them again.';
  else if (missing.length > 0) why = `It cannot be used yet: enter ${listWords(missing.map((m) => fieldNames[m] ?? m))} under Settings, then choose Update connection.`;
  else if (c.validationError) why = `The discovery check failed: ${c.validationError.replace(/\.?$/, '.')} Correct the Discovery endpoint under Settings, then choose Update connection.`;
  else why = 'Choose Update connection to check the settings.';
  return (
    <section class="panel" aria-labelledby="state-heading">
      <h2 id="state-heading">State: <StateBadge state={c.state} /></h2>
      <p id="state-explanation">{why}</p>
    </section>
  );
}

function ServiceProviderDetails({ connection: c, redirectUri }: { connection: Connection; redirectUri: string }) {
  return (
    <section class="panel" aria-labelledby="sp-heading">
      <h2 id="sp-heading">Service Provider Details</h2>
      <div class="field">
        <span class="label" id="redirect-uri-label">Redirect URI</span>
        <CopyValue id="redirect-uri" value={redirectUri} label="Redirect URI" />
      </div>
      <p class="muted">
        {c.connectionType === 'CleverOIDC'
          ? 'Add it to the REDIRECT URIS of the app’s OAuth settings in Clever’s dashboard (Settings → Integration → OAuth Settings → Edit), first in the list: Clever Portal and Instant Login launches go to the first one. Each Clever app of this deployment has its own Redirect URI; a connection for another Clever app than the first shows its own once its Client ID is saved.'
          : 'Give it to the organization’s IT team: it is the login redirect URI of the OpenID Connect application in their identity provider.'}
      </p>
    </section>
  );
}

function SettingsPanel({ viewer, connection: c, settings }: ConnectionPageProps) {
  const values: SettingsValues = settings?.values ?? {
    name: c.name,
    client_id: c.clientId ?? '',
    discovery_endpoint: c.discoveryEndpoint ?? '',
    district_id: c.districtId ?? '',
  };
  const errors = settings?.errors ?? {};
  const clever = c.connectionType === 'CleverOIDC';
  return (
    <section class="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      {errors.form ? <Flash kind="error"><p>{errors.form}</p></Flash> : null}
      <form method="post" action={paths.connectionSettings(c.id)} class="stack" novalidate>
        <CsrfField token={viewer.csrf} />
        <Field label="Name" name="name" value={values.name} error={errors.name} required autocomplete="off" hint="How this connection is called in the dashboard." />
        <Field label="Client ID" name="client_id" value={values.client_id} error={errors.client_id} required autocomplete="off" spellcheck={false} />
        <Field
          label="Client secret"
          name="client_secret"
          type="password"
          error={errors.client_secret}
          required={!c.clientSecretEncrypted}
          autocomplete="new-password"
          hint={c.clientSecretEncrypted ? 'A client secret is set; it is never shown. Leave this empty to keep it, or type a new one to replace it.' : 'Not set yet.'}
        />
        <Field
          label="Discovery endpoint"
          name="discovery_endpoint"
          type="url"
          value={values.discovery_endpoint}
          error={errors.discovery_endpoint}
          required={!clever}
          autocomplete="off"
          spellcheck={false}
          hint={clever ? 'Leave empty for Clever’s own (https://clever.com/.well-known/openid-configuration); set it to use a Clever sandbox.' : 'Ends with /.well-known/openid-configuration; opened in a browser it shows JSON metadata.'}
        />
        {clever ? (
          <Field label="District ID" name="district_id" value={values.district_id} error={errors.district_id} required autocomplete="off" spellcheck={false} hint="The Clever district this organization is: 24 hexadecimal characters, from the district's page in Clever." />
        ) : null}
        <div>
          <Button kind="primary">Update connection</Button>
        </div>
      </form>
    </section>
  );
}

function TestSsoPanel({ viewer, connection: c, sandboxLaunches }: ConnectionPageProps) {
  return (
    <section class="panel" aria-labelledby="test-heading">
      <h2 id="test-heading">Test SSO</h2>
      <p>Sign in through this connection in this browser and see the profile your application would receive, or the step that failed and why.</p>
      {c.state === 'active' ? (
        <PostButton action={paths.testConnection(c.id)} csrf={viewer.csrf} kind="primary">Test SSO</PostButton>
      ) : (
        <>
          <p class="muted" id="test-sso-unavailable">Test SSO needs an active connection.</p>
          <Button disabled aria-describedby="test-sso-unavailable">Test SSO</Button>
        </>
      )}
      {sandboxLaunches ? (
        <>
          <h3>Start at the Clever sandbox</h3>
          <p>Logins that start at Clever land at your application’s default redirect URI.</p>
          <ul>
            <li><a href={sandboxLaunches.portal}>Open the district’s Clever Portal</a> (sign in, then launch the app)</li>
            <li><a href={sandboxLaunches.instantLogin}>Start an Instant Login</a></li>
          </ul>
        </>
      ) : null}
    </section>
  );
}

function TestResultPanel({ result }: { result: TestResult }) {
  if (result.ok) {
    const p = result.profile;
    const who = [p.first_name, p.last_name].filter(Boolean).join(' ') || p.idp_id;
    return (
      <section class="panel" aria-labelledby="test-result-heading">
        <Flash kind="success" id="test-result">
          <h2 id="test-result-heading">Test SSO succeeded</h2>
          <p>Signed in as <strong>{who}</strong>{p.email ? ` (${p.email})` : ''}, with the role <strong id="test-role">{p.role?.slug ?? 'none'}</strong>.</p>
        </Flash>
        <dl class="facts">
          <dt>Role</dt>
          <dd>{p.role?.slug ?? 'none'}{p.roles.length > 1 ? ` (all matching: ${p.roles.map((r) => r.slug).join(', ')})` : ''}</dd>
          <dt>Groups</dt>
          <dd>{p.groups.join(', ') || 'none'}</dd>
          <dt>Reference</dt>
          <dd><a href={paths.signInSession(result.attemptId)}><code>{result.attemptId}</code></a></dd>
        </dl>
        <h3>Profile your application receives</h3>
        <pre id="profile">{JSON.stringify(p, null, 2)}</pre>
        <h3>Claims from the identity provider (ID token and userinfo)</h3>
        <pre id="claims">{JSON.stringify(p.raw_attributes, null, 2)}</pre>
      </section>
    );
  }
  if ('alreadyShown' in result) {
    return (
      <Flash kind="info" id="test-result">
        <p>This test result was already shown (results are shown once). Choose Test SSO to run it again.</p>
      </Flash>
    );
  }
  return (
    <section class="panel" aria-labelledby="test-result-heading">
      <Flash kind="error" id="test-result">
        <h2 id="test-result-heading">Test SSO failed at: {result.step}</h2>
        <p>{result.description}</p>
      </Flash>
      <dl class="facts">
        <dt>Failed step</dt>
        <dd id="failed-step">{result.step}</dd>
        <dt>Error code</dt>
        <dd><code>{result.errorCode}</code></dd>
        {result.upstreamError ? (
          <>
            <dt>Identity provider said</dt>
            <dd><code id="upstream-error">{result.upstreamError}</code></dd>
          </>
        ) : null}
        <dt>What to do</dt>
        <dd id="advice">{result.advice}</dd>
        <dt>Reference</dt>
        <dd><a href={paths.signInSession(result.attemptId)}><code>{result.attemptId}</code></a></dd>
      </dl>
    </section>
  );
}

function RoleAssignment({ viewer, connection: c, defaultRole, roles }: ConnectionPageProps) {
  const errors = roles?.errors ?? {};
  const mappings = c.roleMappings;
  const move = (index: number, action: 'up' | 'down' | 'remove', label: string, m: RoleMapping, disabled = false) => (
    <PostButton action={paths.connectionRoles(c.id)} csrf={viewer.csrf} fields={{ action, index: String(index) }} small disabled={disabled} kind={action === 'remove' ? 'danger' : 'secondary'}>
      {label}<span class="sr-only"> {m.group}</span>
    </PostButton>
  );
  return (
    <section class="panel" aria-labelledby="roles-heading">
      <h2 id="roles-heading">Role assignment</h2>
      <p>
        People get the role of the first mapping whose IdP group ID is among their groups
        {c.connectionType === 'CleverOIDC' ? ' (for Clever, the group is the user type: student, teacher, school_admin, district_admin)' : ' (the groups claim of the ID token)'}.
        With no match they get the default role, <strong id="default-role">{defaultRole}</strong>.
        A role is your application's role slug, such as <code>teacher</code>.
      </p>
      {errors.form ? <Flash kind="error"><p>{errors.form}</p></Flash> : null}
      <Table caption="Role mappings, first match wins" head={['Priority', 'IdP group ID', 'Role', '']} empty="No role mappings: everyone gets the default role.">
        {mappings.map((m, i) => (
          <tr>
            <td>{i + 1}</td>
            <td><code>{m.group}</code></td>
            <td>{m.role}</td>
            <td>
              <div class="actions">
                {move(i, 'up', 'Move up', m, i === 0)}
                {move(i, 'down', 'Move down', m, i === mappings.length - 1)}
                {move(i, 'remove', 'Remove', m)}
              </div>
            </td>
          </tr>
        ))}
      </Table>
      <form method="post" action={paths.connectionRoles(c.id)} class="inline-form">
        <CsrfField token={viewer.csrf} />
        <input type="hidden" name="action" value="add" />
        <Field label="IdP group ID" name="group" value={roles?.group} error={errors.group} required autocomplete="off" spellcheck={false} />
        <Field label="Role" name="role" value={roles?.role} error={errors.role} required autocomplete="off" spellcheck={false} />
        <Button>Add role mapping</Button>
      </form>
    </section>
  );
}

export function DeleteConnectionPage({ viewer, connection: c, organization: org }: { viewer: Viewer; connection: Connection; organization: Organization }) {
  return (
    <Layout title={`Delete ${c.name}`} viewer={viewer} section="organizations" breadcrumbs={[{ label: 'Organizations', href: paths.organizations() }, { label: org.name, href: paths.organization(org.id) }, { label: c.name, href: paths.connection(c.id) }]}>
      <h1>Delete the connection {c.name}?</h1>
      <Flash kind="warning">
        <p>
          People of {org.name} can no longer sign in through {providerNames[c.connectionType]} with it
          {c.state === 'active' ? ' (it is active now)' : ''}. Its settings, client secret and {c.roleMappings.length} role mapping{c.roleMappings.length === 1 ? '' : 's'} are deleted. The record of past sign-ins is kept.
        </p>
      </Flash>
      <div class="actions">
        <PostButton action={paths.deleteConnection(c.id)} csrf={viewer.csrf} kind="danger">Delete connection</PostButton>
        <a href={paths.connection(c.id)}>Cancel</a>
      </div>
    </Layout>
  );
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
