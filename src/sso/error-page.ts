import type { FastifyReply } from 'fastify';
import { publicError, type HallpassError } from '../errors.ts';
import { escapeHtml, sendPage } from './html.ts';

/**
 * The friendly error screen shown to a person when a login cannot continue
 * and there is no trusted app to send them back to. It names what went wrong
 * in plain words and gives a reference the vendor's support can look up.
 */
export function sendErrorPage(reply: FastifyReply, err: HallpassError, reference?: string): FastifyReply {
  const shown = publicError(err);
  const description = shown.code === 'server_error' ? 'Something went wrong on our side. Please try again in a moment.' : shown.message;
  const body = `<h1>We couldn't sign you in</h1>
<div class="box error" role="alert">
<p>${escapeHtml(description)}</p>
<p class="muted">Error code: <code>${escapeHtml(shown.code)}</code>${reference ? ` · Reference: <code>${escapeHtml(reference)}</code>` : ''}</p>
</div>
<p>Go back to the application and try signing in again. If this keeps happening, contact your school's or company's IT team and quote the reference above.</p>`;
  return sendPage(reply, err.status, 'Sign-in problem', body);
}

/**
 * The page for a callback that arrives a second time (a refresh, the back
 * button, a code Clever delivered twice): the sign-in already went through,
 * so there is nothing to fix, only somewhere to go.
 */
export function sendAlreadyCompletedPage(reply: FastifyReply, appRedirectUri: string): FastifyReply {
  const app = new URL(appRedirectUri).origin;
  const body = `<h1>You already signed in</h1>
<div class="box ok">
<p>This sign-in was already completed, so this page has nothing more to do: it was probably refreshed or opened again.</p>
</div>
<p><a href="${escapeHtml(app)}/">Return to the application</a>. If you are not signed in there, start signing in again from the application.</p>`;
  return sendPage(reply, 200, 'Already signed in', body);
}
