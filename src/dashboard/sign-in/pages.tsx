import { Button } from '../../pages/button.tsx';
import { CsrfField } from '../../pages/csrf-field.tsx';
import { Flash, type FlashKind } from '../../pages/flash.tsx';
import { Field } from '../../pages/form-field.tsx';
import { PublicLayout } from '../../pages/layout.tsx';
import { paths } from '../paths.ts';

export interface SignInPageProps {
  csrf: string;
  email?: string;
  next?: string | undefined;
  message?: { kind: FlashKind; text: string } | undefined;
}

export function SignInPage({ csrf, email, next, message }: SignInPageProps) {
  return (
    <PublicLayout title="Sign in">
      <h1>Sign in to Hallpass</h1>
      {message ? (
        <Flash kind={message.kind} id="sign-in-message">
          <p>{message.text}</p>
        </Flash>
      ) : null}
      <form method="post" action={paths.signIn()} class="stack panel">
        <CsrfField token={csrf} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Field label="Email" name="email" type="email" value={email} required autocomplete="username" spellcheck={false} />
        <Field label="Password" name="password" type="password" required autocomplete="current-password" />
        <div>
          <Button kind="primary">Sign in</Button>
        </div>
      </form>
      <p class="muted">
        No account yet? An admin can invite you from Settings → Admins, or the server's operator can run <code>hallpass admins create --email EMAIL</code>.
      </p>
    </PublicLayout>
  );
}

export interface AcceptInvitePageProps {
  csrf: string;
  token: string;
  email: string;
  error?: string | undefined;
}

export function AcceptInvitePage({ csrf, token, email, error }: AcceptInvitePageProps) {
  return (
    <PublicLayout title="Create your admin account">
      <h1>Create your admin account</h1>
      <p>
        You were invited to administer Hallpass as <strong>{email}</strong>. Choose a password to finish.
      </p>
      <form method="post" action={paths.invite(token)} class="stack panel">
        <CsrfField token={csrf} />
        <Field label="Password" name="password" type="password" required autocomplete="new-password" error={error} hint="At least 12 characters. A few unrelated words make a good one." />
        <Field label="Password again" name="password_again" type="password" required autocomplete="new-password" />
        <div>
          <Button kind="primary">Create account</Button>
        </div>
      </form>
    </PublicLayout>
  );
}

export function InviteUnusablePage() {
  return (
    <PublicLayout title="Invitation not valid">
      <h1>This invitation cannot be used</h1>
      <Flash kind="error">
        <p>The link has expired, was already used, or was withdrawn. Ask an admin for a new invitation.</p>
      </Flash>
      <p>
        <a href={paths.signIn()}>Sign in</a>
      </p>
    </PublicLayout>
  );
}
