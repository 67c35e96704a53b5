import type { ComponentChildren } from 'preact';
import { assetPath } from './static-assets.ts';

export interface DocumentProps {
  title: string;
  children: ComponentChildren;
}

/** The HTML shell every Hallpass page shares: stylesheet, viewport, deferred scripts. No inline script or style. */
export function Document({ title, children }: DocumentProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Hallpass`}</title>
        <link rel="stylesheet" href={assetPath('styles.css')} />
        <script src={assetPath('copy.js')} defer />
        <script src={assetPath('confirm.js')} defer />
      </head>
      <body>{children}</body>
    </html>
  );
}
