import { userTypeLabels, type UserRole } from '../directory.ts';
import type { SeedUser } from '../seed/seed-schema.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';

export interface RolePickerPageInput {
  user: SeedUser;
  roles: UserRole[];
  target: string;
  csrfToken: string;
}

/** After sign-in, a user with several roles chooses the one to continue as. */
export function rolePickerPage({ user, roles, target, csrfToken }: RolePickerPageInput): string {
  return layout(
    'Choose a role',
    html`<section class="card">
<h1>Welcome, ${user.name.first}</h1>
<p>You have more than one role. Continue as:</p>
${roles.map(
  (role) => html`<form id="role-${role.type}" method="post" action="/oauth/select-role">
<input type="hidden" name="target" value="${target}">
<input type="hidden" name="csrf" value="${csrfToken}">
<input type="hidden" name="role" value="${role.type}">
<p><button type="submit">${userTypeLabels[role.type]}</button></p>
</form>`,
)}
</section>`,
  );
}
