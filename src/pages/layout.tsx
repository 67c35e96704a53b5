import type { ComponentChildren } from 'preact';
import { paths } from '../dashboard/paths.ts';
import { Button } from './button.tsx';
import { CsrfField } from './csrf-field.tsx';
import { Document } from './document.tsx';

/** The top-level sections of the dashboard, in navigation order. */
export type Section = 'organizations' | 'sign-in-sessions' | 'clever' | 'settings' | 'audit-log';

const sections: Array<{ id: Section; label: string; href: string }> = [
  { id: 'organizations', label: 'Organizations', href: paths.organizations() },
  { id: 'sign-in-sessions', label: 'Sign-in sessions', href: paths.signInSessions },
  { id: 'clever', label: 'Clever', href: paths.clever },
  { id: 'settings', label: 'Settings', href: paths.settings },
  { id: 'audit-log', label: 'Audit log', href: paths.auditLog },
];

/** Who is signed in, and the token their forms carry. */
export interface Viewer {
  email: string;
  csrf: string;
}

export interface LayoutProps {
  title: string;
  viewer: Viewer;
  section?: Section | undefined;
  /** Links above the title, outermost first. */
  breadcrumbs?: Array<{ label: string; href: string }>;
  children: ComponentChildren;
}

/** A signed-in dashboard page: navigation, the admin's account, then the content. */
export function Layout({ title, viewer, section, breadcrumbs, children }: LayoutProps) {
  return (
    <Document title={title}>
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href={paths.home}>Hallpass</a>
          <nav aria-label="Dashboard">
            <ul class="nav">
              {sections.map((s) => (
                <li>
                  <a href={s.href} aria-current={s.id === section ? 'page' : undefined}>{s.label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="account">
            <span class="hide-narrow">{viewer.email}</span>
            <form method="post" action={paths.signOut}>
              <CsrfField token={viewer.csrf} />
              <Button small>Sign out</Button>
            </form>
          </div>
        </div>
      </header>
      <main id="main">
        {breadcrumbs && breadcrumbs.length > 0 ? (
          <nav class="breadcrumbs" aria-label="Breadcrumbs">
            {breadcrumbs.map((b, i) => (
              <>
                {i > 0 ? ' / ' : ''}
                <a href={b.href}>{b.label}</a>
              </>
            ))}
          </nav>
        ) : null}
        {children}
      </main>
    </Document>
  );
}

/** A page for someone not signed in (sign-in, invitation, errors before sign-in). */
export function PublicLayout({ title, brand = 'Hallpass', children }: { title: string; brand?: string; children: ComponentChildren }) {
  return (
    <Document title={title}>
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <div class="topbar-inner">
          <span class="brand">{brand}</span>
        </div>
      </header>
      <main id="main" class="narrow">
        {children}
      </main>
    </Document>
  );
}
