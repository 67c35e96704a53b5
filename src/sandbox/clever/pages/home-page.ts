import { rolesOf, userTypeLabels, type Directory } from '../directory.ts';
import type { SeedApp } from '../seed/seed-schema.ts';
import type { ClaimShape } from '../settings.ts';
import { html } from './html.ts';
import { identityProviderNames } from './identity-provider-names.ts';
import { layout } from './layout.ts';

function liwcUrl(issuer: string, app: SeedApp, districtId?: string): string {
  const params = new URLSearchParams({ response_type: 'code', client_id: app.client_id, redirect_uri: app.redirect_uris[0]! });
  if (districtId) params.set('district_id', districtId);
  return `${issuer}/oauth/authorize?${params}`;
}

function instantLoginUrl(issuer: string, app: SeedApp, districtId: string): string {
  return `${issuer}/oauth/instant-login?${new URLSearchParams({ client_id: app.client_id, district_id: districtId })}`;
}

/**
 * The sandbox's front page: everything a developer needs to try a login —
 * districts, users with their passwords (this is a sandbox), apps with their
 * secrets, and ready-made links.
 */
const claimShapeNotes: Record<ClaimShape, string> = {
  current: 'current shape, as Clever documents it today: district in the ID token; user_type student, teacher, staff or district admin',
  legacy: 'legacy shape: district_id in the ID token; user_type student, teacher, school_admin or district_admin',
};

export function homePage(issuer: string, directory: Directory, claims: ClaimShape): string {
  const { districts, apps } = directory.seed;
  return layout(
    'Home',
    html`<section class="card">
<h1>Clever sandbox</h1>
<p>An offline emulator of Clever District SSO. Issuer <code>${issuer}</code>;
discovery at <a href="/.well-known/openid-configuration"><code>${issuer}/.well-known/openid-configuration</code></a>.
ID tokens and <code>/userinfo</code>: <span id="claim-shape">${claimShapeNotes[claims]}</span>.
Data and passwords below are test data. <a href="/logout">Log out of the sandbox</a>.</p>
</section>
<section class="card" id="districts">
<h2>Districts</h2>
${districts.map(
  (d) => html`<h3>${d.name}</h3>
<p>ID <code>${d.id}</code> · ${d.sandbox ? 'sandbox district (find it in the school picker by its ID)' : 'production district (find it by school name)'} ·
log in with ${identityProviderNames[d.login_method]} · portal <a href="/in/${d.slug}"><code>${issuer}/in/${d.slug}</code></a></p>
<p>Schools: ${d.schools.map((s, i) => html`${i ? ', ' : ''}${s.name} (<code>${s.id}</code>)`)}</p>
<table>
<thead><tr><th>Name</th><th>Roles</th><th>Username</th><th>Password</th><th>Email</th><th>User ID</th></tr></thead>
<tbody>${directory.usersOf(d.id).map(
    (u) => html`<tr><td>${u.name.first} ${u.name.middle ?? ''} ${u.name.last}</td>
<td>${rolesOf(u).map((r, i) => html`${i ? ', ' : ''}${userTypeLabels[r.type]}`)}</td>
<td><code>${u.username}</code></td><td><code>${u.password}</code></td>
<td>${u.email ?? html`<em>none</em>`}</td><td><code>${u.id}</code></td></tr>`,
  )}</tbody>
</table>`,
)}
</section>
<section class="card" id="apps">
<h2>Apps</h2>
${apps.map(
  (app) => html`<h3>${app.name}</h3>
<p>Client ID <code>${app.client_id}</code> · secret <code>${app.client_secret}</code> ·
${app.production ? 'production app' : 'development app'} · ${app.oidc ? 'OIDC (ID tokens issued)' : 'OAuth only (no ID token)'} ·
supports ${app.user_types.map((t, i) => html`${i ? ', ' : ''}${userTypeLabels[t]}`)}</p>
<p>Redirect URIs: ${app.redirect_uris.map((uri, i) => html`${i ? ', ' : ''}<code>${uri}</code>${i === 0 ? ' (primary)' : ''}`)}</p>
<ul>
<li><a href="${liwcUrl(issuer, app)}">Log in with Clever: ${app.name}</a> (school picker)</li>
${app.districts.map((id) => {
  const district = directory.district(id);
  return html`<li><a href="${liwcUrl(issuer, app, id)}">Log in with Clever: ${district?.name ?? id}</a></li>
<li><a href="${instantLoginUrl(issuer, app, id)}">Instant Login: ${district?.name ?? id}</a></li>`;
})}
</ul>`,
)}
</section>`,
  );
}
