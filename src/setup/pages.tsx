/**
 * The setup-link pages the customer's IT admin sees. No Hallpass account:
 * the token in the address is the credential, so every address here carries it
 * (and `Referrer-Policy: same-origin` keeps it from other sites).
 */
import type { ComponentChildren } from 'preact';
import { Button, LinkButton } from '../pages/button.tsx';
import { CsrfField } from '../pages/csrf-field.tsx';
import { PublicLayout } from '../pages/layout.tsx';
import { Flash } from '../pages/flash.tsx';
import { CopyValue, Field, Select } from '../pages/form-field.tsx';
import type { Connection } from '../store/types.ts';
import { guides, providerOrder, type Guide } from './guides.ts';

export const setupPaths = {
  home: (token: string) => `/setup/${token}`,
  provider: (token: string, provider: string) => `/setup/${token}/${provider}`,
  start: (token: string, provider: string) => `/setup/${token}/${provider}/start`,
  settings: (token: string, provider: string) => `/setup/${token}/${provider}/settings`,
  test: (token: string, provider: string) => `/setup/${token}/${provider}/test`,
  cleverSignIn: (token: string) => `/setup/${token}/clever/sign-in`,
  done: (token: string) => `/setup/${token}/done`,
  testResult: '/setup/test-result',
};

/** What a test sign-in (or a Clever district's sign-in) came to. */
export type SetupOutcome =
  | { ok: true; title: string; message: string }
  | { ok: false; title: string; message: string; step?: string; upstreamError?: string | null; advice?: string; reference?: string };

/** `vendor`: the application's vendor name (Settings), so the IT admin sees who sent the link. */
function SetupLayout({ title, organization, vendor, children }: { title: string; organization?: string; vendor?: string | null; children: ComponentChildren }) {
  const brand = [vendor, 'Single sign-on setup', organization].filter(Boolean).join(' · ');
  return (
    <PublicLayout title={title} brand={brand}>
      {children}
    </PublicLayout>
  );
}

export function ChooseProviderPage({ token, organization, vendor, connections }: { token: string; organization: string; vendor: string | null; connections: Connection[] }) {
  return (
    <SetupLayout title="Choose your identity provider" organization={organization} vendor={vendor}>
      <h1>Set up single sign-on for {organization}</h1>
      <p>This page lets you connect your organization's identity provider, so your people sign in with the accounts they already have. It takes a few minutes; nothing goes live until a test sign-in succeeds.</p>
      {connections.length > 0 ? (
        <section class="panel" aria-labelledby="current-heading">
          <h2 id="current-heading">Current connections</h2>
          <ul>
            {connections.map((c) => (
              <li>{c.name}: <strong>{c.state === 'active' ? 'active' : 'not active yet'}</strong></li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>Which identity provider does your organization use?</h2>
      <ul class="choices">
        {providerOrder.map((id) => (
          <li>
            <a href={setupPaths.provider(token, id)}><strong>{guides[id].name}</strong></a>
            <br />
            <span class="muted">{guides[id].summary}</span>
          </li>
        ))}
      </ul>
    </SetupLayout>
  );
}

export interface ProviderPageProps {
  token: string;
  csrf: string;
  organization: string;
  vendor: string | null;
  guide: Guide;
  connection: Connection | undefined;
  redirectUri: string | undefined;
  values: { client_id: string; discovery: string };
  errors?: Record<string, string>;
  notice?: string | undefined;
  outcome?: SetupOutcome | undefined;
}

export function ProviderPage({ token, csrf, organization, vendor, guide, connection, redirectUri, values, errors = {}, notice, outcome }: ProviderPageProps) {
  const field = guide.discoveryField;
  return (
    <SetupLayout title={`Set up ${guide.name}`} organization={organization} vendor={vendor}>
      <p><a href={setupPaths.home(token)}>← Choose another identity provider</a></p>
      <h1>Set up {guide.name}</h1>
      {notice ? <Flash kind="success" id="notice"><p>{notice}</p></Flash> : null}
      {outcome ? <OutcomePanel outcome={outcome} /> : null}
      {errors.form ? <Flash kind="error"><p>{errors.form}</p></Flash> : null}
      {!connection || !redirectUri ? (
        <section class="panel" aria-labelledby="start-heading">
          <h2 id="start-heading">Step 1: get your Redirect URI</h2>
          <p>Hallpass makes a Redirect URI for your organization. You will register it at {guide.name}.</p>
          <form method="post" action={setupPaths.start(token, guide.id)}>
            <CsrfField token={csrf} />
            <Button kind="primary">Get my Redirect URI</Button>
          </form>
        </section>
      ) : (
        <>
          <section class="panel" aria-labelledby="steps-heading">
            <h2 id="steps-heading">Step 1: register Hallpass at {guide.name}</h2>
            <p>Redirect URI:</p>
            <CopyValue id="redirect-uri" value={redirectUri} label="Redirect URI" />
            <ol>
              {guide.steps.map((s) => <li>{s}</li>)}
            </ol>
          </section>
          <section class="panel" aria-labelledby="settings-heading">
            <h2 id="settings-heading">Step 2: enter what {guide.name} gave you</h2>
            <form method="post" action={setupPaths.settings(token, guide.id)}>
              <CsrfField token={csrf} />
              <input type="hidden" name="connection_id" value={connection.id} />
              {field ? <Field label={field.label} name={field.name} value={values.discovery} hint={field.hint} placeholder={field.placeholder} error={errors[field.name]} required spellcheck={false} /> : (
                <p>Discovery endpoint: <code>{guide.fixedDiscovery}</code> (filled in for you)</p>
              )}
              <Field label="Client ID" name="client_id" value={values.client_id} error={errors.client_id} required spellcheck={false} autocomplete="off" />
              <Field
                label="Client secret"
                name="client_secret"
                type="password"
                error={errors.client_secret}
                required={connection.clientSecretEncrypted === null}
                autocomplete="off"
                hint={connection.clientSecretEncrypted === null ? 'Stored encrypted; never shown again.' : 'A secret is stored (never shown). Leave empty to keep it.'}
              />
              <Button kind="primary">Save and check</Button>
            </form>
          </section>
          <section class="panel" aria-labelledby="test-heading">
            <h2 id="test-heading">Step 3: test sign-in</h2>
            <p>
              Status: <strong id="connection-state">{connection.state === 'active' ? 'Active: your people can sign in' : 'Not active yet'}</strong>.
              {' '}Sign in with your own {guide.name} account. Only a successful test turns single sign-on on.
            </p>
            <form method="post" action={setupPaths.test(token, guide.id)}>
              <CsrfField token={csrf} />
              <input type="hidden" name="connection_id" value={connection.id} />
              <Button kind={connection.state === 'active' ? 'secondary' : 'primary'} disabled={connection.clientId === null}>Test sign-in</Button>
            </form>
          </section>
          {connection.state === 'active' ? <DoneSection token={token} /> : null}
        </>
      )}
    </SetupLayout>
  );
}

function DoneSection({ token }: { token: string }) {
  return (
    <section class="panel" aria-labelledby="done-heading">
      <h2 id="done-heading">Finish</h2>
      <p>Single sign-on is on. You may close this page.</p>
      <LinkButton href={setupPaths.done(token)} kind="primary">Done</LinkButton>
    </section>
  );
}

export interface CleverPageProps {
  token: string;
  csrf: string;
  organization: string;
  vendor: string | null;
  /** The Clever apps the admin may pick from; one means no choice. */
  apps: Array<{ clientId: string; name: string }>;
  districts: string[];
  outcome?: SetupOutcome | undefined;
}

export function CleverPage({ token, csrf, organization, vendor, apps, districts, outcome }: CleverPageProps) {
  return (
    <SetupLayout title="Connect your Clever district" organization={organization} vendor={vendor}>
      <p><a href={setupPaths.home(token)}>← Choose another identity provider</a></p>
      <h1>Connect your Clever district</h1>
      {outcome ? <OutcomePanel outcome={outcome} /> : null}
      {districts.length > 0 ? (
        <p id="districts">Connected Clever district{districts.length > 1 ? 's' : ''}: {districts.map((d) => <code>{d} </code>)}</p>
      ) : null}
      {apps.length === 0 ? (
        <Flash kind="warning"><p>This application has no Clever app set up yet. Ask whoever sent you this link to set one up first.</p></Flash>
      ) : (
        <section class="panel" aria-labelledby="clever-heading">
          <h2 id="clever-heading">Sign in as a district administrator</h2>
          <ol>
            {guides.clever.steps.map((s) => <li>{s}</li>)}
          </ol>
          <p>No Client ID or secret to copy: the application's Clever app already knows your district once you sign in.</p>
          <form method="post" action={setupPaths.cleverSignIn(token)}>
            <CsrfField token={csrf} />
            {apps.length > 1 ? <Select label="Clever app" name="app" options={apps.map((a) => ({ value: a.clientId, label: a.name }))} /> : null}
            <Button kind="primary">Sign in with Clever</Button>
          </form>
        </section>
      )}
      {districts.length > 0 ? <DoneSection token={token} /> : null}
    </SetupLayout>
  );
}

function OutcomePanel({ outcome }: { outcome: SetupOutcome }) {
  if (outcome.ok) {
    return (
      <Flash kind="success" id="outcome">
        <h2>{outcome.title}</h2>
        <p>{outcome.message}</p>
      </Flash>
    );
  }
  return (
    <section class="panel" aria-labelledby="outcome-heading">
      <Flash kind="error" id="outcome">
        <h2 id="outcome-heading">{outcome.title}</h2>
        <p>{outcome.message}</p>
      </Flash>
      {outcome.step ? (
        <dl>
          <dt>Failed step</dt>
          <dd id="failed-step">{outcome.step}</dd>
          {outcome.upstreamError ? (
            <>
              <dt>Identity provider said</dt>
              <dd><code id="upstream-error">{outcome.upstreamError}</code></dd>
            </>
          ) : null}
          {outcome.advice ? (
            <>
              <dt>What to do</dt>
              <dd id="advice">{outcome.advice}</dd>
            </>
          ) : null}
          {outcome.reference ? (
            <>
              <dt>Reference (for whoever sent you this link)</dt>
              <dd><code>{outcome.reference}</code></dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </section>
  );
}

export function FinishPage({ organization, vendor }: { organization: string; vendor: string | null }) {
  return (
    <SetupLayout title="Setup finished" organization={organization} vendor={vendor}>
      <h1>All set</h1>
      <Flash kind="success" id="finished"><p>Single sign-on for {organization} is set up. You may close this page.</p></Flash>
    </SetupLayout>
  );
}

/** An unknown, expired or revoked link, or any other refusal: says what happened and whom to ask. */
export function SetupErrorPage({ title, message }: { title: string; message: string }) {
  return (
    <SetupLayout title={title}>
      <h1>{title}</h1>
      <Flash kind="error"><p>{message}</p></Flash>
    </SetupLayout>
  );
}
