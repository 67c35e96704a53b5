import { userTypeLabels } from '../directory.ts';
import type { SeedApp, SeedDistrict, SeedUser, UserType } from '../seed/seed-schema.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';

export interface PortalPageInput {
  district: SeedDistrict;
  user: SeedUser;
  userType: UserType;
  apps: SeedApp[];
  csrfToken: string;
  /** Set for multi-role users: where "Switch role" leads. */
  switchRoleUrl: string | undefined;
}

const admins: readonly UserType[] = ['school_admin', 'district_admin'];

/**
 * The Clever Portal: one tile per app the district authorized. Students and
 * teachers see only apps that support their user type; admins also see the
 * others, flagged, linking to the app's website instead of signing in.
 */
export function portalPage({ district, user, userType, apps, csrfToken, switchRoleUrl }: PortalPageInput): string {
  const tiles = apps.flatMap((app) => {
    if (app.user_types.includes(userType)) {
      return [
        html`<li><form id="launch-${app.client_id}" method="post" action="/in/${district.slug}/launch">
<input type="hidden" name="client_id" value="${app.client_id}">
<input type="hidden" name="csrf" value="${csrfToken}">
<button type="submit">${app.name}</button>
</form></li>`,
      ];
    }
    if (!admins.includes(userType)) return [];
    return [
      html`<li><a class="unsupported" href="${app.website}">${app.name}</a>
<span class="flag">SSO is not supported for ${userTypeLabels[userType].toLowerCase()}s</span></li>`,
    ];
  });
  return layout(
    `${district.name} portal`,
    html`<section class="card">
<h1>${district.name}</h1>
<p>Signed in as <strong id="portal-user">${user.name.first} ${user.name.last}</strong>
(<span id="portal-role">${userTypeLabels[userType]}</span>).
${switchRoleUrl ? html`<a href="${switchRoleUrl}">Switch role</a> ·` : ''} <a href="/logout">Log out</a></p>
</section>
${tiles.length ? html`<ul class="tiles">${tiles}</ul>` : html`<p>Your district has no apps for you yet.</p>`}`,
  );
}
