import type { ComponentChildren } from 'preact';
import { CsrfField } from './csrf-field.tsx';

export type ButtonKind = 'primary' | 'secondary' | 'danger';

const classFor = (kind: ButtonKind, small?: boolean) =>
  [kind === 'secondary' ? '' : `button-${kind}`, small ? 'button-small' : ''].filter(Boolean).join(' ') || undefined;

export interface ButtonProps {
  kind?: ButtonKind;
  small?: boolean;
  type?: 'submit' | 'button';
  name?: string;
  value?: string;
  disabled?: boolean;
  children: ComponentChildren;
  'aria-describedby'?: string;
}

export function Button({ kind = 'secondary', small, type = 'submit', children, ...rest }: ButtonProps) {
  return (
    <button type={type} class={classFor(kind, small)} {...rest}>
      {children}
    </button>
  );
}

/** A link that looks like a button (for navigation, never for changes). */
export function LinkButton({ href, kind = 'secondary', small, children }: { href: string; kind?: ButtonKind; small?: boolean; children: ComponentChildren }) {
  return (
    <a href={href} class={['button', classFor(kind, small)].filter(Boolean).join(' ')}>
      {children}
    </a>
  );
}

export interface PostButtonProps extends Omit<ButtonProps, 'type'> {
  action: string;
  csrf: string;
  /** Hidden fields sent with the button. */
  fields?: Record<string, string>;
  /** Asked in the browser before sending (with script); the server never relies on it. */
  confirm?: string;
}

/** One button that POSTs (with the CSRF token): changes are never links. */
export function PostButton({ action, csrf, fields = {}, confirm, ...button }: PostButtonProps) {
  return (
    <form method="post" action={action} data-confirm={confirm}>
      <CsrfField token={csrf} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <Button {...button} />
    </form>
  );
}
