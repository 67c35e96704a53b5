/** A search term taken literally inside LIKE (used with `escape '\\'`): `%` and `_` typed by a person match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
