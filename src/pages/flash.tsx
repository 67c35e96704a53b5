import type { ComponentChildren } from 'preact';

export type FlashKind = 'success' | 'info' | 'warning' | 'error';

/** A message at the top of a page. Errors are announced at once (`alert`), the rest politely (`status`). */
export function Flash({ kind, children, id }: { kind: FlashKind; children: ComponentChildren; id?: string }) {
  return (
    <div class={`flash flash-${kind}`} role={kind === 'error' ? 'alert' : 'status'} id={id}>
      {children}
    </div>
  );
}
