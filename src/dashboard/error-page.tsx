import type { FastifyReply, FastifyRequest } from 'fastify';
import { toHallpassError } from '../errors.ts';
import { Flash } from '../pages/flash.tsx';
import { Layout, PublicLayout } from '../pages/layout.tsx';
import { sendPage } from '../pages/send-page.ts';
import { paths } from './paths.ts';

const titles: Record<number, string> = {
  400: 'This request cannot be read',
  403: 'This form cannot be accepted',
  404: 'Not found',
  409: 'This conflicts with what is stored',
  413: 'Too much data',
  422: 'Some values are not valid',
  429: 'Too many attempts',
};

/**
 * The dashboard's answer to any error: a page with the right status that
 * says what happened in plain words. Details of a server error are logged,
 * never shown.
 */
export function sendDashboardError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const code = (err as { code?: unknown } | null)?.code;
  const csrfRefused = typeof code === 'string' && code.startsWith('FST_CSRF');
  const error = toHallpassError(err);
  if (error.status >= 500) request.log.error({ err }, 'dashboard request failed');
  const status = csrfRefused ? 403 : error.status;
  const message = csrfRefused
    ? 'This form was sent without a valid security token: it is older than your session, or it came from another site. Go back, reload the page and try again.'
    : error.expose
      ? error.message
      : 'Something went wrong on our side. Please try again in a moment; if it keeps happening, the server log has the details.';
  const title = titles[status] ?? (status >= 500 ? 'Something went wrong' : 'This request cannot be completed');
  return renderError(request, reply, status, title, message);
}

/** A page for an unknown dashboard address. */
export function sendDashboardNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return renderError(request, reply, 404, 'Not found', 'There is nothing at this address. It may have been deleted, or the link is mistyped.');
}

function renderError(request: FastifyRequest, reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  const body = (
    <>
      <h1>{title}</h1>
      <Flash kind="error">
        <p>{message}</p>
      </Flash>
      <p>
        <a href={paths.organizations()}>Go to Organizations</a>
      </p>
    </>
  );
  if (request.admin) {
    let csrf = '';
    try {
      csrf = reply.generateCsrf();
    } catch {
      // Outside the dashboard's CSRF scope; the sign-out button then needs a reload.
    }
    return sendPage(reply, status, <Layout title={title} viewer={{ email: request.admin.email, csrf }}>{body}</Layout>);
  }
  return sendPage(reply, status, <PublicLayout title={title}>{body}</PublicLayout>);
}
