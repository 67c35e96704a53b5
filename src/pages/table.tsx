import type { ComponentChildren } from 'preact';

/** A data table with a caption (visible or for screen readers) that scrolls sideways on narrow screens. */
export function Table({ caption, head, children, empty }: { caption: string; head: ComponentChildren[]; children: ComponentChildren[]; empty?: ComponentChildren }) {
  if (children.length === 0 && empty !== undefined) return <p class="muted">{empty}</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** "Previous" / "Next" links for a cursor-paginated list. */
export function Pagination({ previous, next }: { previous?: string | undefined; next?: string | undefined }) {
  if (!previous && !next) return null;
  return (
    <nav class="pagination" aria-label="Pages">
      {previous ? <a href={previous} rel="prev">← Previous</a> : null}
      {next ? <a href={next} rel="next">Next →</a> : null}
    </nav>
  );
}
