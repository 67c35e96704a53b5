/**
 * Test SSO: start a login through any connection and see the resulting
 * profile, or the step that failed and why. It is an ordinary login whose
 * "app" is this page, so it exercises exactly what a real app gets.
 *
 * It is a tool for the vendor's staff, with no sign-in of its own yet, so it is
 * served only when HALLPASS_TEST_SSO=true (`hallpass dev` sets it) and never
 * in production; the dashboard will put it behind admin sign-in.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HallpassContext } from '../context.ts';
import type { UpstreamClients } from '../connections/upstream-client.ts';
import { HallpassError, toHallpassError } from '../errors.ts';
import { newId } from '../ids.ts';
import { tagLoginAttempt } from '../log.ts';
import { countSignIn } from '../metrics.ts';
import { hashSecret } from '../secrets.ts';
import type { Connection, LoginAttempt } from '../store/types.ts';
import { cleverCredentials } from './clever-credentials.ts';
import { escapeHtml, sendPage } from './html.ts';
import { recordRejectedStart } from './login-attempts.ts';
import { singleParam } from './params.ts';
import { startUpstreamLogin } from './start-upstream-login.ts';

const ANY_CLEVER_DISTRICT = 'clever-any-district';

export function registerTestSso(app: FastifyInstance, ctx: HallpassContext, clients: UpstreamClients): void {
  const resultUri = `${ctx.config.publicUrl}/test-sso/result`;

  app.get('/test-sso', async (_request, reply) => {
    const { data } = await ctx.store.connections.list({ limit: 100, order: 'asc' });
    return sendPage(reply, 200, 'Test SSO', connectionList(data));
  });

  app.post('/test-sso/start', async (request, reply) => {
    const loginAttemptId = newId('login');
    tagLoginAttempt(loginAttemptId);
    try {
      const selected = singleParam(request.body, 'connection', 64);
      if (!selected) throw new HallpassError('invalid_request', 'Choose a connection to test.');
      let connection: Connection | null = null;
      let credentials: Connection;
      if (selected === ANY_CLEVER_DISTRICT) {
        credentials = await cleverCredentials(ctx.store);
      } else {
        connection = (await ctx.store.connections.find(selected)) ?? null;
        if (!connection) throw new HallpassError('connection_invalid', `Connection ${selected} does not exist.`);
        if (connection.state !== 'active') throw new HallpassError('connection_invalid', `Connection ${selected} is ${connection.state}: ${connection.validationError ?? 'complete its settings first'}.`);
        credentials = connection;
      }
      const url = await startUpstreamLogin(ctx, clients, request, reply, {
        connection,
        credentials,
        app: { redirectUri: resultUri, state: loginAttemptId, codeChallenge: null },
        initiatedBy: 'test',
        loginAttemptId,
      });
      return reply.header('cache-control', 'no-store').redirect(url.href, 303);
    } catch (err) {
      const error = toHallpassError(err);
      await recordRejectedStart(ctx, loginAttemptId, 'test', error);
      return reply.redirect(`${resultUri}?state=${encodeURIComponent(loginAttemptId)}`, 303);
    }
  });

  app.get('/test-sso/result', async (request: FastifyRequest, reply) => {
    const code = singleParam(request.query, 'code', 256);
    const attemptId = singleParam(request.query, 'state', 64);
    if (code) {
      // Only codes issued to this page: an app's code stays the app's.
      const issued = await ctx.store.codes.consume(hashSecret(code), new Date(ctx.now()), { redirectUri: resultUri });
      if (issued) {
        tagLoginAttempt(issued.loginAttemptId);
        await ctx.store.loginAttempts.update(issued.loginAttemptId, { step: 'code_redeemed', outcome: 'succeeded' });
        countSignIn('succeeded', issued.profile.connection_type, 'code_redeemed');
        return sendPage(reply, 200, 'Test SSO succeeded', `<h1>Test SSO succeeded</h1>
<div class="box ok" role="status"><p>Signed in as <strong>${escapeHtml([issued.profile.first_name, issued.profile.last_name].filter(Boolean).join(' ') || issued.profile.idp_id)}</strong>${issued.profile.email ? ` (${escapeHtml(issued.profile.email)})` : ''}.</p></div>
<p>This is the profile your application receives:</p>
<pre id="profile">${escapeHtml(JSON.stringify(issued.profile, null, 2))}</pre>
<p><a href="/test-sso">Test again</a></p>`);
      }
    }
    const attempt = attemptId ? await ctx.store.loginAttempts.find(attemptId) : undefined;
    return sendPage(reply, 400, 'Test SSO failed', failureReport(attempt));
  });
}

function connectionList(connections: Connection[]): string {
  const rows = connections.map((c) => `<tr><td>${escapeHtml(c.name)}<br><span class="muted">${escapeHtml(c.id)} · ${escapeHtml(c.connectionType)}${c.districtId ? ` · district ${escapeHtml(c.districtId)}` : ''}</span></td>
<td>${escapeHtml(c.state)}${c.validationError ? `<br><span class="muted">${escapeHtml(c.validationError)}</span>` : ''}</td>
<td><form method="post" action="/test-sso/start"><input type="hidden" name="connection" value="${escapeHtml(c.id)}"><button${c.state === 'active' ? '' : ' disabled'}>Test SSO</button></form></td></tr>`);
  const anyClever = connections.some((c) => c.connectionType === 'CleverOIDC' && c.state === 'active')
    ? `<p><form method="post" action="/test-sso/start"><input type="hidden" name="connection" value="${ANY_CLEVER_DISTRICT}"><button>Test Clever for any district</button></form> <span class="muted">Clever's school picker decides; the district picks the organization.</span></p>`
    : '';
  return `<h1>Test SSO</h1>
<p>Start a real sign-in through a connection and see the profile your application would receive.</p>
${connections.length ? `<table><tr><th>Connection</th><th>State</th><th></th></tr>${rows.join('\n')}</table>` : '<p>No connections yet.</p>'}
${anyClever}`;
}

function failureReport(attempt: LoginAttempt | undefined): string {
  if (!attempt) {
    return `<h1>Test SSO failed</h1><div class="box error" role="alert"><p>This result is unknown or was already shown.</p></div><p><a href="/test-sso">Test again</a></p>`;
  }
  return `<h1>Test SSO failed</h1>
<div class="box error" role="alert">
<p><strong>${escapeHtml(attempt.errorDescription ?? 'The sign-in did not finish.')}</strong></p>
<table>
<tr><th>Step reached</th><td id="step">${escapeHtml(attempt.step)}</td></tr>
<tr><th>Error code</th><td id="error-code"><code>${escapeHtml(attempt.errorCode ?? 'none')}</code></td></tr>
${attempt.upstreamError ? `<tr><th>Identity provider said</th><td id="upstream-error"><code>${escapeHtml(attempt.upstreamError)}</code></td></tr>` : ''}
${attempt.districtId ? `<tr><th>Clever district</th><td>${escapeHtml(attempt.districtId)}</td></tr>` : ''}
<tr><th>Reference</th><td><code>${escapeHtml(attempt.id)}</code></td></tr>
</table>
</div>
<p><a href="/test-sso">Test again</a></p>`;
}
