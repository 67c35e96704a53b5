/**
 * The pages a person signing in may see from the broker itself, when there is
 * no trusted app to send them back to: what went wrong in plain words, with a
 * reference the vendor's support finds in Sign-in sessions; and the page for a
 * callback that arrives twice. Rendered with the dashboard's components and
 * stylesheet (`src/pages/`).
 */
import type { FastifyReply } from 'fastify';
import { publicError, type HallpassError } from '../errors.ts';
import { Flash } from '../pages/flash.tsx';
import { PublicLayout } from '../pages/layout.tsx';
import { sendPage } from '../pages/send-page.ts';

/** The friendly error screen. `reference` is the login attempt's ID, shown only when the attempt was recorded. */
export function sendErrorPage(reply: FastifyReply, err: HallpassError, reference?: string): FastifyReply {
  const shown = publicError(err);
  const description = shown.code === 'server_error' ? 'Something went wrong on our side. Please try again in a moment.' : shown.message;
  return sendPage(reply, err.status, (
    <PublicLayout title="Sign-in problem">
      <h1>We couldn't sign you in</h1>
      <Flash kind="error">
        <p>{description}</p>
        <p class="muted">
          Error code: <code>{shown.code}</code>
          {reference ? <> · Reference: <code>{reference}</code></> : null}
        </p>
      </Flash>
      <p>
        Go back to the application and try signing in again. If this keeps happening, contact your school's or company's IT team
        {reference ? ' and quote the reference above' : ''}.
      </p>
    </PublicLayout>
  ));
}

/**
 * The page for a callback that arrives a second time (a refresh, the back
 * button, a code Clever delivered twice): the sign-in already went through,
 * so there is nothing to fix, only somewhere to go.
 */
export function sendAlreadyCompletedPage(reply: FastifyReply, appRedirectUri: string): FastifyReply {
  const app = `${new URL(appRedirectUri).origin}/`;
  return sendPage(reply, 200, (
    <PublicLayout title="Already signed in">
      <h1>You already signed in</h1>
      <Flash kind="success">
        <p>This sign-in was already completed, so this page has nothing more to do: it was probably refreshed or opened again.</p>
      </Flash>
      <p>
        <a href={app}>Return to the application</a>. If you are not signed in there, start signing in again from the application.
      </p>
    </PublicLayout>
  ));
}
