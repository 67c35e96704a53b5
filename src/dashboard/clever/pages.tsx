import { Button } from '../../pages/button.tsx';
import { CsrfField } from '../../pages/csrf-field.tsx';
import { Flash } from '../../pages/flash.tsx';
import { Field, Select } from '../../pages/form-field.tsx';
import { Layout, type Viewer } from '../../pages/layout.tsx';
import { Table } from '../../pages/table.tsx';
import type { CleverApp, UnservedDistrict } from '../../store/types.ts';
import { formatTime } from '../format.ts';
import { paths } from '../paths.ts';

/** A refused form on this page: which district's, what was typed, what is wrong. */
export interface CleverFormState {
  districtId: string;
  action: 'add' | 'create';
  organizationName?: string | undefined;
  organizationId?: string | undefined;
  error: string;
}

export interface CleverPageProps {
  viewer: Viewer;
  apps: CleverApp[];
  unserved: UnservedDistrict[];
  organizations: Array<{ id: string; name: string }>;
  refused?: CleverFormState | undefined;
  notice?: string | undefined;
}

export function CleverPage({ viewer, apps, unserved, organizations, refused, notice }: CleverPageProps) {
  const appChoices = apps.map((a) => ({ value: a.clientId, label: `Clever app ${a.clientId}` }));
  return (
    <Layout title="Clever" viewer={viewer} section="clever">
      <h1>Clever</h1>
      {notice ? <Flash kind="success"><p>{notice}</p></Flash> : null}
      {refused ? <Flash kind="error"><p>District {refused.districtId}: {refused.error}</p></Flash> : null}
      <section class="panel" aria-labelledby="served-heading">
        <h2 id="served-heading">Districts served</h2>
        <p class="muted">Each Clever app (client ID) can serve many districts: a person's district decides which organization they sign in to.</p>
        {apps.length === 0 ? (
          <p>No active Clever connection yet. Open an organization, choose <strong>Configure manually</strong> and <strong>Clever OIDC</strong>.</p>
        ) : (
          apps.map((app) => (
            <Table caption={`Clever app ${app.clientId}`} head={['District', 'Organization', 'Connection']}>
              {app.districts.map((d) => (
                <tr>
                  <td><code>{d.districtId}</code></td>
                  <td><a href={paths.organization(d.organizationId)}>{d.organizationName}</a></td>
                  <td><a href={paths.connection(d.connectionId)}>{d.connectionId}</a></td>
                </tr>
              ))}
            </Table>
          ))
        )}
      </section>
      <section class="panel" aria-labelledby="unserved-heading">
        <h2 id="unserved-heading">Sign-ins from districts no organization serves</h2>
        <p class="muted">These people saw an error page. Serve their district to let them in.</p>
        {unserved.length === 0 ? (
          <p class="muted">None: every district that signed in is served.</p>
        ) : (
          unserved.map((district) => {
            const mine = refused?.districtId === district.districtId ? refused : undefined;
            const key = district.districtId;
            return (
              <article class="district" aria-labelledby={`district-${key}`}>
                <h3 id={`district-${key}`}>District <code>{district.districtId}</code></h3>
                <p>
                  {district.signIns} {district.signIns === 1 ? 'sign-in' : 'sign-ins'}, the last at {formatTime(district.lastAt)}.{' '}
                  <a href={`${paths.signInSessions}?${new URLSearchParams({ search: district.districtId })}`}>See these sign-in sessions</a>
                </p>
                {apps.length === 0 ? (
                  <p class="muted">Configure a Clever connection first: its Clever app's credentials serve this district.</p>
                ) : (
                  <div class="district-actions">
                    <form method="post" action={paths.cleverServeDistrict} class="inline-form" id={`add-district-${key}`}>
                      <CsrfField token={viewer.csrf} />
                      <input type="hidden" name="district_id" value={district.districtId} />
                      <input type="hidden" name="action" value="add" />
                      {apps.length > 1 ? <Select label="Clever app" id={`app-add-${key}`} name="app" options={appChoices} /> : <input type="hidden" name="app" value={apps[0]!.clientId} />}
                      <Select
                        label="Organization"
                        id={`organization-${key}`}
                        name="organization_id"
                        value={mine?.action === 'add' ? mine.organizationId : undefined}
                        error={mine?.action === 'add' ? mine.error : undefined}
                        options={organizations.map((o) => ({ value: o.id, label: o.name }))}
                      />
                      <Button kind="primary" aria-describedby={`district-${key}`}>Add to an organization</Button>
                    </form>
                    <form method="post" action={paths.cleverServeDistrict} class="inline-form" id={`create-district-${key}`}>
                      <CsrfField token={viewer.csrf} />
                      <input type="hidden" name="district_id" value={district.districtId} />
                      <input type="hidden" name="action" value="create" />
                      {apps.length > 1 ? <Select label="Clever app" id={`app-create-${key}`} name="app" options={appChoices} /> : <input type="hidden" name="app" value={apps[0]!.clientId} />}
                      <Field
                        label="New organization's name"
                        id={`name-${key}`}
                        name="name"
                        required
                        value={mine?.action === 'create' ? mine.organizationName : undefined}
                        error={mine?.action === 'create' ? mine.error : undefined}
                      />
                      <Button aria-describedby={`district-${key}`}>Create an organization for this district</Button>
                    </form>
                    <form method="post" action={`${paths.clever}/send-setup-link`} class="inline-form" id={`send-link-${key}`}>
                      <CsrfField token={viewer.csrf} />
                      <input type="hidden" name="district_id" value={district.districtId} />
                      {apps.length > 1 ? <Select label="Clever app" id={`app-send-${key}`} name="app" options={appChoices} /> : <input type="hidden" name="app" value={apps[0]!.clientId} />}
                      <Field label="Organization's name" id={`send-name-${key}`} name="name" hint="A new organization; its district joins when one of its district administrators opens the link and signs in." />
                      <Button aria-describedby={`district-${key}`}>Send a setup link</Button>
                    </form>
                  </div>
                )}
              </article>
            );
          })
        )}
      </section>
    </Layout>
  );
}
