import { Button, PostButton } from '../../pages/button.tsx';
import { CsrfField } from '../../pages/csrf-field.tsx';
import { Flash } from '../../pages/flash.tsx';
import { CopyValue, Field } from '../../pages/form-field.tsx';
import { Layout, type Viewer } from '../../pages/layout.tsx';
import { Table } from '../../pages/table.tsx';
import type { Admin, AdminInvite } from '../../store/types.ts';
import { paths } from '../paths.ts';
import { formatTime } from '../format.ts';

export interface AdminsPageProps {
  viewer: Viewer;
  admins: Admin[];
  invites: AdminInvite[];
  /** A link just created: shown once. */
  inviteLink?: { email: string; url: string; expiresAt: Date } | undefined;
  inviteEmail?: string | undefined;
  inviteError?: string | undefined;
  notice?: string | undefined;
  error?: string | undefined;
}

export function AdminsPage({ viewer, admins, invites, inviteLink, inviteEmail, inviteError, notice, error }: AdminsPageProps) {
  const onlyOne = admins.length <= 1;
  return (
    <Layout title="Admins" viewer={viewer} section="settings" breadcrumbs={[{ label: 'Settings', href: paths.settings }]}>
      <h1>Admins</h1>
      {notice ? <Flash kind="success"><p>{notice}</p></Flash> : null}
      {error ? <Flash kind="error"><p>{error}</p></Flash> : null}
      <section class="panel" aria-labelledby="admins-heading">
        <h2 id="admins-heading">People who can sign in to this dashboard</h2>
        <Table caption="Admins" head={['Email', 'Added', 'Last sign-in', '']}>
          {admins.map((admin) => (
            <tr>
              <td>{admin.email}{admin.email === viewer.email ? <span class="muted"> (you)</span> : null}</td>
              <td>{formatTime(admin.createdAt)}</td>
              <td>{admin.lastSignInAt ? formatTime(admin.lastSignInAt) : 'never'}</td>
              <td>
                {onlyOne ? (
                  <span class="muted">The last admin cannot be removed</span>
                ) : (
                  <PostButton action={paths.removeAdmin(admin.id)} csrf={viewer.csrf} kind="danger" small confirm={`Remove ${admin.email}? They will be signed out and can no longer sign in.`}>
                    Remove {admin.email}
                  </PostButton>
                )}
              </td>
            </tr>
          ))}
        </Table>
      </section>
      <section class="panel" aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite an admin</h2>
        {inviteLink ? (
          <Flash kind="success" id="invite-link">
            <p>Send this link to {inviteLink.email}. It works once, until {formatTime(inviteLink.expiresAt)}, and is shown only now.</p>
            <CopyValue id="invite-url" value={inviteLink.url} label="invitation link" />
          </Flash>
        ) : null}
        <form method="post" action={paths.inviteAdmin} class="inline-form">
          <CsrfField token={viewer.csrf} />
          <Field label="Email" name="email" type="email" value={inviteEmail} error={inviteError} required autocomplete="off" spellcheck={false} />
          <Button kind="primary">Create invitation link</Button>
        </form>
        {invites.length > 0 ? (
          <Table caption="Invitations not yet used" head={['Email', 'Expires']}>
            {invites.map((invite) => (
              <tr>
                <td>{invite.email}</td>
                <td>{formatTime(invite.expiresAt)}</td>
              </tr>
            ))}
          </Table>
        ) : null}
      </section>
    </Layout>
  );
}
