/**
 * Classroom's pages: functions of their data, rendered on the server with
 * escaping templates. No page needs JavaScript; the stylesheet is the only
 * other resource (strict CSP).
 */
import { html, type Html } from './html.ts';
import { userTypeLabels } from './clever-identity.ts';
import { displayName, fullName, type User } from './users.ts';

/** What every page's header needs to show who is signed in and offer Log out. */
export interface SignedIn {
  user: User;
  csrfToken: string;
}

export function layout(title: string, signedIn: SignedIn | null, main: Html): Html {
  return html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Classroom</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="top">
<a class="brand" href="/">Classroom</a>
${signedIn ? whoIsSignedIn(signedIn) : ''}
</header>
<main>
${main}
</main>
</body>
</html>`;
}

function whoIsSignedIn({ user, csrfToken }: SignedIn): Html {
  return html`<section class="who" aria-label="Signed in">
<p>Signed in as <strong id="signed-in-name">${fullName(user)}</strong></p>
<p><span id="signed-in-type">${userTypeLabel(user)}</span> · <span id="signed-in-district">${districtLabel(user)}</span></p>
<form method="post" action="/logout">
<input type="hidden" name="_csrf" value="${csrfToken}">
<button type="submit">Log out</button>
</form>
</section>`;
}

const userTypeLabel = (user: User) => (user.userType ? userTypeLabels[user.userType] : 'Clever user');
const districtLabel = (user: User) => user.districtName ?? (user.districtId ? `District ${user.districtId}` : 'No district');

/** Our own "Log in with Clever" button: a plain link (it works without JavaScript), our own drawing. */
function cleverButton(): Html {
  return html`<a class="button clever" href="/login/clever">
<svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24"><rect x="1" y="1" width="22" height="22" rx="6" fill="#fff"/><path d="M16.5 8.2a5.2 5.2 0 1 0 0 7.6" fill="none" stroke="#1d4ed8" stroke-width="2.6" stroke-linecap="round"/></svg>
<span>Log in with Clever</span>
</a>`;
}

export function loginPage(): Html {
  return layout(
    'Sign in',
    null,
    html`<h1>Sign in to Classroom</h1>
<p>Your school signs you in through Clever. Use the same username and password you use for Clever.</p>
${cleverButton()}
<p class="muted">Starting from your Clever Portal or a link from your school? That works too: you arrive here signed in.</p>`,
  );
}

export function welcomePage(signedIn: SignedIn, form: { value: string; error?: string }): Html {
  const { user } = signedIn;
  return layout(
    'Welcome',
    signedIn,
    html`<h1>Welcome to Classroom, ${user.firstName ?? fullName(user)}!</h1>
<p>One question before you start. We ask it only once.</p>
<form method="post" action="/welcome" class="card">
<input type="hidden" name="_csrf" value="${signedIn.csrfToken}">
<label for="preferred-name">Preferred name</label>
<p id="preferred-name-hint" class="hint">The name your classmates and teachers see in Classroom. Any letters work: ñ, é, 李…</p>
${form.error ? html`<p id="preferred-name-error" class="field-error">${form.error}</p>` : ''}
<input id="preferred-name" name="preferred_name" value="${form.value}" maxlength="60" required autocomplete="nickname"
  aria-describedby="${form.error ? 'preferred-name-hint preferred-name-error' : 'preferred-name-hint'}"${form.error ? html` aria-invalid="true"` : ''}>
<button type="submit">Continue</button>
</form>`,
  );
}

export function homePage(signedIn: SignedIn): Html {
  const { user } = signedIn;
  const row = (label: string, id: string, value: string) => html`<div><dt>${label}</dt><dd id="${id}">${value}</dd></div>`;
  return layout(
    'Home',
    signedIn,
    html`<h1>Hello, <span id="preferred-name-shown">${displayName(user)}</span></h1>
<p>This is what Classroom knows about you from Clever.</p>
<dl class="card facts">
${row('Name', 'fact-name', fullName(user))}
${row('Preferred name', 'fact-preferred-name', user.preferredName ?? '—')}
${row('User type', 'fact-user-type', userTypeLabel(user))}
${row('District', 'fact-district', districtLabel(user))}
${user.school ? row('School', 'fact-school', user.school) : ''}
${row('Email', 'fact-email', user.email ?? 'None from Clever')}
${row('Clever ID', 'fact-clever-id', user.cleverId ?? '—')}
</dl>`,
  );
}

export interface SignInFailure {
  /** Quoted to IT: finds the failure in Classroom's `sign_in_errors` table and log. */
  reference: string;
  /** The OAuth error code (Hallpass's, or Classroom's own). */
  error: string;
  /** Hallpass's description, when it sent one. */
  description: string | null;
}

const explanations: Record<string, string> = {
  access_denied: "Your school's sign-in service did not allow this sign-in.",
  organization_invalid: 'Your school district is not set up to use Classroom yet.',
  connection_invalid: 'Your school district is not set up to use Classroom yet.',
  invalid_grant: 'This sign-in link was already used or has expired.',
  oauth_failed: 'Clever could not confirm who you are.',
  state_mismatch: 'This sign-in was started in another browser or tab, or took too long.',
  hallpass_unreachable: 'Classroom could not reach the sign-in service.',
};

export function signInErrorPage(failure: SignInFailure): Html {
  return layout(
    'Sign-in problem',
    null,
    html`<h1>We couldn't sign you in</h1>
<div class="card problem" role="alert">
<p>${explanations[failure.error] ?? 'Something went wrong while signing you in.'}</p>
<p>Reference: <strong id="error-reference">${failure.reference}</strong></p>
<p class="muted">Error code: <code id="error-code">${failure.error}</code>${failure.description ? html` · ${failure.description}` : ''}</p>
</div>
<p>Try again. If it keeps happening, tell your teacher or your school's IT team the reference above: it tells them exactly what went wrong.</p>
${cleverButton()}`,
  );
}

export function signedOutPage(reason: 'logout' | 'inactivity' | null, idleMinutes: number): Html {
  const message =
    reason === 'inactivity'
      ? `You were signed out because Classroom was not used for ${idleMinutes} minutes.`
      : 'You have signed out of Classroom.';
  return layout(
    'Signed out',
    null,
    html`<h1>You're signed out</h1>
<p role="status">${message}</p>
<p>Nothing of your account is shown on this device any more. This window stays open: close it, or sign in again.</p>
<p class="muted">On a shared computer, also sign out of Clever so the next person cannot use your Clever session.</p>
${cleverButton()}`,
  );
}

export function problemPage(title: string, message: string): Html {
  return layout(title, null, html`<h1>${title}</h1><p>${message}</p><p><a href="/">Go to Classroom's start page</a></p>`);
}
