import { html } from './html.ts';
import { layout } from './layout.ts';

export function loggedOutPage(): string {
  return layout(
    'Logged out',
    html`<section class="card"><h1>You are logged out of Clever</h1><p><a href="/">Sandbox home</a></p></section>`,
  );
}
