import { Button } from '../../pages/button.tsx';
import { CsrfField } from '../../pages/csrf-field.tsx';
import { Flash } from '../../pages/flash.tsx';
import { CopyValue, Select } from '../../pages/form-field.tsx';
import { Layout, type Viewer } from '../../pages/layout.tsx';
import { Table } from '../../pages/table.tsx';
import type { SetupLinkStatus } from '../../setup/create-setup-link.ts';
import type { Organization, SetupLink } from '../../store/types.ts';
import { formatTime } from '../format.ts';
import { paths } from '../paths.ts';

export const setupLinkPaths = {
  list: (organizationId: string) => `${paths.organization(organizationId)}/setup-links`,
  revoke: (organizationId: string, id: string) => `${paths.organization(organizationId)}/setup-links/${encodeURIComponent(id)}/revoke`,
  cleverSend: `${paths.clever}/send-setup-link`,
};

export interface SetupLinksPageProps {
  viewer: Viewer;
  organization: Organization;
  links: Array<SetupLink & { status: SetupLinkStatus }>;
  /** The Clever apps a link may be made for; with several, the vendor picks one. */
  cleverApps: string[];
  /** A link just made: its URL is shown this once. */
  created?: string | undefined;
  notice?: string | undefined;
}

const statusLabel: Record<SetupLinkStatus, string> = { active: 'Active', expired: 'Expired', revoked: 'Revoked' };

export function SetupLinksPage({ viewer, organization: org, links, cleverApps, created, notice }: SetupLinksPageProps) {
  return (
    <Layout
      title={`Setup links · ${org.name}`}
      viewer={viewer}
      section="organizations"
      breadcrumbs={[{ label: 'Organizations', href: paths.organizations() }, { label: org.name, href: paths.organization(org.id) }]}
    >
      <h1>Setup links for {org.name}</h1>
      <p>Send a setup link to the organization's IT admin: they set up single sign-on themselves (or, for Clever, a district administrator signs in once). No account needed; the link is the key, so send it only to them.</p>
      {notice ? <Flash kind="success" id="notice"><p>{notice}</p></Flash> : null}
      {created ? (
        <Flash kind="success" id="created-link">
          <h2>Setup link created</h2>
          <p>Copy it now: it is shown only this once.</p>
          <CopyValue id="setup-link" value={created} label="setup link" />
        </Flash>
      ) : null}
      <section class="panel" aria-labelledby="create-heading">
        <h2 id="create-heading">Create a setup link</h2>
        <form method="post" action={setupLinkPaths.list(org.id)}>
          <CsrfField token={viewer.csrf} />
          {cleverApps.length > 1 ? (
            <Select label="Clever app (for a Clever district)" name="clever_client_id" options={[{ value: '', label: 'The first Clever app' }, ...cleverApps.map((c) => ({ value: c, label: c }))]} />
          ) : null}
          <Button kind="primary">Create setup link</Button>
        </form>
      </section>
      <section class="panel" aria-labelledby="links-heading">
        <h2 id="links-heading">Links</h2>
        <Table caption="Setup links" head={['Status', 'Created', 'Expires', 'Last used', 'Made by', <span class="sr-only">Actions</span>]} empty="No setup link yet.">
          {links.map((l) => (
            <tr>
              <td>{statusLabel[l.status]}</td>
              <td>{formatTime(l.createdAt)}</td>
              <td>{formatTime(l.expiresAt)}</td>
              <td>{l.lastUsedAt ? formatTime(l.lastUsedAt) : 'Never'}</td>
              <td>{l.createdBy}</td>
              <td>
                {l.status === 'active' ? (
                  <form method="post" action={setupLinkPaths.revoke(org.id, l.id)} data-confirm="Revoke this setup link? It stops working at once.">
                    <CsrfField token={viewer.csrf} />
                    <Button small kind="danger">Revoke<span class="sr-only"> the link created {formatTime(l.createdAt)}</span></Button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      </section>
    </Layout>
  );
}
