import { html, type SafeHtml } from './html.ts';

export interface CredentialsFormInput {
  target: string;
  districtId: string;
  csrfToken: string;
  /** Shown above the form after a failed attempt. */
  error: string | undefined;
  submitLabel: string;
}

/** The username/password form every emulated identity provider shows; it posts to `/oauth/login`. */
export function credentialsForm(input: CredentialsFormInput): SafeHtml {
  return html`${input.error ? html`<p class="error" role="alert">${input.error}</p>` : ''}
<form id="login-form" method="post" action="/oauth/login">
<input type="hidden" name="target" value="${input.target}">
<input type="hidden" name="district_id" value="${input.districtId}">
<input type="hidden" name="csrf" value="${input.csrfToken}">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" required>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<p><button type="submit">${input.submitLabel}</button></p>
</form>`;
}
