/**
 * Escaping HTML templates: every value put into `html`…`` is escaped unless it
 * is itself the output of `html`, so a name such as "<b>Zoë</b>" or 李 can
 * only ever be text. Pages are built from these and nothing else (no string
 * concatenation of markup).
 */

const ESCAPED = Symbol('escaped html');

export interface Html {
  readonly [ESCAPED]: string;
}

type Value = Html | string | number | null | undefined | false | readonly Value[];

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object') return (value as Html)[ESCAPED];
  return String(value).replace(/[&<>"']/g, (c) => entities[c]!);
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return { [ESCAPED]: out };
}

/** The finished document, for `reply.send`. */
export function toDocument(page: Html): string {
  return '<!doctype html>\n' + page[ESCAPED];
}
