import type { SeedDistrict } from '../seed/seed-schema.ts';
import { credentialsForm } from './credentials-form.ts';
import { html } from './html.ts';
import { identityProviderNames } from './identity-provider-names.ts';
import { layout } from './layout.ts';

export interface DistrictLoginPageInput {
  district: SeedDistrict;
  target: string;
  csrfToken: string;
  error: string | undefined;
}

/**
 * A district's Clever login page. Districts on Clever Passwords show the
 * credentials form at once; the others show a "Log in with {IdP}" button that
 * leads to that provider's (emulated) sign-in form.
 */
export function districtLoginPage({ district, target, csrfToken, error }: DistrictLoginPageInput): string {
  const provider = identityProviderNames[district.login_method];
  const idpUrl = `/oauth/idp-login?${new URLSearchParams({ target, district_id: district.id })}`;
  const body =
    district.login_method === 'clever_passwords'
      ? credentialsForm({ target, districtId: district.id, csrfToken, error, submitLabel: 'Log in' })
      : html`<p><a class="button" id="idp-login" href="${idpUrl}">Log in with ${provider}</a></p>`;
  return layout(
    `Log in to ${district.name}`,
    html`<section class="card">
<h1>${district.name}</h1>
<p>Log in to Clever</p>
${body}
</section>`,
  );
}
