import { Button, LinkButton, PostButton } from '../../pages/button.tsx';
import { CsrfField } from '../../pages/csrf-field.tsx';
import { Flash } from '../../pages/flash.tsx';
import { Checkbox, CopyValue, Field } from '../../pages/form-field.tsx';
import { Layout, type Viewer } from '../../pages/layout.tsx';
import { Table } from '../../pages/table.tsx';
import type { ApiKey, ApplicationSettings, RedirectUri } from '../../store/types.ts';
import { formatTime } from '../format.ts';
import { paths } from '../paths.ts';

export interface SettingsPageProps {
  viewer: Viewer;
  settings: ApplicationSettings;
  apiKeys: ApiKey[];
  redirectUris: RedirectUri[];
  /** A key just created: its value is shown this once. */
  newKey?: { name: string; value: string } | undefined;
  notice?: string | undefined;
  /** Refused forms: what was typed and what is wrong. */
  apiKeyForm?: { name: string; error: string } | undefined;
  redirectUriForm?: { uri: string; isDefault: boolean; error: string } | undefined;
  defaultRoleForm?: { role: string; error: string } | undefined;
  vendorNameForm?: { name: string; error: string } | undefined;
}

export function SettingsPage({ viewer, settings, apiKeys, redirectUris, newKey, notice, apiKeyForm, redirectUriForm, defaultRoleForm, vendorNameForm }: SettingsPageProps) {
  return (
    <Layout title="Settings" viewer={viewer} section="settings">
      <div class="page-head">
        <h1>Settings</h1>
        <LinkButton href={paths.admins}>Admins</LinkButton>
      </div>
      {notice ? <Flash kind="success"><p>{notice}</p></Flash> : null}

      <section class="panel" aria-labelledby="client-heading">
        <h2 id="client-heading">Client ID</h2>
        <p class="muted">Your app sends it to <code>/sso/authorize</code> and <code>/sso/token</code>.</p>
        <CopyValue id="client-id" value={settings.clientId} label="client ID" />
      </section>

      <section class="panel" aria-labelledby="keys-heading">
        <h2 id="keys-heading">API keys</h2>
        <p class="muted">Your app and your scripts authenticate to Hallpass with an API key. Revoking one refuses it at once.</p>
        {newKey ? (
          <Flash kind="success" id="new-api-key">
            <p>API key “{newKey.name}” created. Copy it now: it is shown only this once.</p>
            <CopyValue id="api-key-value" value={newKey.value} label="API key" />
          </Flash>
        ) : null}
        <Table caption="API keys" head={['Name', 'Key', 'Created', 'Last used', '']} empty="No API keys yet.">
          {apiKeys.map((key) => (
            <tr>
              <td>{key.name}</td>
              <td class="nowrap"><code>sk_…{key.lastFour}</code></td>
              <td class="nowrap">{formatTime(key.createdAt)}</td>
              <td class="nowrap">{key.lastUsedAt ? formatTime(key.lastUsedAt) : 'never'}</td>
              <td>
                <PostButton action={paths.revokeApiKey(key.id)} csrf={viewer.csrf} kind="danger" small confirm={`Revoke the API key “${key.name}”? Apps using it stop working at once.`}>
                  Revoke {key.name}
                </PostButton>
              </td>
            </tr>
          ))}
        </Table>
        <form method="post" action={paths.createApiKey} class="inline-form" id="create-api-key">
          <CsrfField token={viewer.csrf} />
          <Field label="Name" id="api-key-name" name="name" required value={apiKeyForm?.name} error={apiKeyForm?.error} hint="Who or what will use it, e.g. “Production app”." />
          <Button kind="primary">Create API key</Button>
        </form>
      </section>

      <section class="panel" aria-labelledby="uris-heading">
        <h2 id="uris-heading">Redirect URIs</h2>
        <p class="muted">
          Hallpass sends people back only to these addresses of your app. The <strong>default</strong> redirect URI is where sign-ins
          that start at Clever land: Clever Portal launches and Instant Login links.
        </p>
        {redirectUris.length > 0 && !redirectUris.some((r) => r.isDefault) ? (
          <Flash kind="warning"><p>No default redirect URI: sign-ins from the Clever Portal and Instant Login links fail until you make one the default.</p></Flash>
        ) : null}
        <Table caption="Redirect URIs" head={['URI', 'Default', '']} empty="No redirect URIs yet.">
          {redirectUris.map((r) => (
            <tr>
              <td><code>{r.uri}</code></td>
              <td>{r.isDefault ? <span class="badge badge-active">Default</span> : <span class="muted">—</span>}</td>
              <td>
                <div class="actions">
                  {r.isDefault ? null : (
                    <PostButton action={paths.defaultRedirectUri} csrf={viewer.csrf} fields={{ uri: r.uri }} small>
                      Make {r.uri} the default
                    </PostButton>
                  )}
                  <PostButton action={paths.removeRedirectUri} csrf={viewer.csrf} fields={{ uri: r.uri }} kind="danger" small confirm={`Remove ${r.uri}? Sign-ins can no longer return there.`}>
                    Remove {r.uri}
                  </PostButton>
                </div>
              </td>
            </tr>
          ))}
        </Table>
        <form method="post" action={paths.addRedirectUri} class="stack" id="add-redirect-uri">
          <CsrfField token={viewer.csrf} />
          <Field label="Redirect URI" id="redirect-uri" name="uri" type="url" required value={redirectUriForm?.uri} error={redirectUriForm?.error} spellcheck={false} placeholder="https://app.example.com/callback" />
          <Checkbox label="Make it the default (where Clever Portal and Instant Login launches land)" id="redirect-uri-default" name="default" checked={redirectUriForm?.isDefault ?? redirectUris.length === 0} />
          <div><Button kind="primary">Add redirect URI</Button></div>
        </form>
      </section>

      <section class="panel" aria-labelledby="role-heading">
        <h2 id="role-heading">Default role</h2>
        <form method="post" action={paths.defaultRole} class="inline-form" id="save-default-role">
          <CsrfField token={viewer.csrf} />
          <Field
            label="Default role"
            id="default-role"
            name="role"
            required
            value={defaultRoleForm?.role ?? settings.defaultRole}
            error={defaultRoleForm?.error}
            spellcheck={false}
            hint="The role slug a profile gets when none of its connection's role mappings matches."
          />
          <Button kind="primary">Save default role</Button>
        </form>
      </section>

      <section class="panel" aria-labelledby="vendor-heading">
        <h2 id="vendor-heading">Vendor name</h2>
        <form method="post" action={paths.vendorName} class="inline-form" id="save-vendor-name">
          <CsrfField token={viewer.csrf} />
          <Field
            label="Vendor name"
            id="vendor-name"
            name="name"
            value={vendorNameForm?.name ?? settings.vendorName ?? ''}
            error={vendorNameForm?.error}
            hint="Your company or product, as a customer's IT admin sees it on the setup-link pages. Leave it empty to show none."
          />
          <Button kind="primary">Save vendor name</Button>
        </form>
      </section>
    </Layout>
  );
}
