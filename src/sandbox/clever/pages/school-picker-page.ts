import type { SeedDistrict } from '../seed/seed-schema.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';

export interface SchoolPickerPageInput {
  target: string;
  query: string;
  results: { district: SeedDistrict; schoolName: string | null }[];
}

/**
 * Clever's school picker: type a school's name to find its district's login
 * page. Sandbox districts are not listed by name; typing the district ID finds them.
 */
export function schoolPickerPage({ target, query, results }: SchoolPickerPageInput): string {
  const link = (district: SeedDistrict) =>
    `/oauth/district-login?${new URLSearchParams({ target, district_id: district.id })}`;
  const list = results.length
    ? html`<ul id="school-results">${results.map(
        (r) => html`<li><a href="${link(r.district)}">${r.schoolName ?? r.district.name}</a> <small>${r.district.name}</small></li>`,
      )}</ul>`
    : query
      ? html`<p id="school-results">No schools match “${query}”. Sandbox districts are found by their district ID.</p>`
      : '';
  return layout(
    'Find your school',
    html`<section class="card">
<h1>Find your school</h1>
<form id="school-search" method="get" action="/oauth/school-picker">
<input type="hidden" name="target" value="${target}">
<label for="q">School name (or sandbox district ID)</label>
<input type="search" id="q" name="q" value="${query}" autofocus>
<button type="submit">Search</button>
</form>
${list}
</section>`,
  );
}
