import { html } from './html.ts';
import { layout } from './layout.ts';

const headings: Record<number, string> = {
  400: 'This link does not work',
  401: 'Please sign in again',
  403: 'You cannot continue',
  404: 'Page not found',
  405: 'Method not allowed',
  413: 'Request too large',
};

/** Clever-style error page: a plain explanation and a way back, never a stack trace. */
export function errorPage(status: number, message: string): string {
  const heading = headings[status] ?? 'Something went wrong';
  return layout(
    heading,
    html`<section class="card" role="alert">
<h1>${heading}</h1>
<p class="error">${message}</p>
<p>If you followed a link from an app, go back to it and try again. <a href="/">Sandbox home</a></p>
</section>`,
  );
}
