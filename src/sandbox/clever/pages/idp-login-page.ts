import type { SeedDistrict } from '../seed/seed-schema.ts';
import { credentialsForm } from './credentials-form.ts';
import { html } from './html.ts';
import { identityProviderNames } from './identity-provider-names.ts';
import { layout } from './layout.ts';

export interface IdpLoginPageInput {
  district: SeedDistrict;
  target: string;
  csrfToken: string;
  error: string | undefined;
}

/** The emulated identity provider (Google or Active Directory): a username/password form. */
export function idpLoginPage({ district, target, csrfToken, error }: IdpLoginPageInput): string {
  const provider = identityProviderNames[district.login_method];
  return layout(
    `Sign in with ${provider}`,
    html`<section class="card">
<h1>Sign in with ${provider}</h1>
<p>Emulated ${provider} sign-in for ${district.name}. The sandbox home page lists every user's username and password.</p>
${credentialsForm({ target, districtId: district.id, csrfToken, error, submitLabel: 'Sign in' })}
</section>`,
  );
}
