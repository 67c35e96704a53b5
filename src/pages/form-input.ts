/**
 * Reading HTML form posts. Forms send strings (and repeated names as arrays);
 * the dashboard and the setup links turn them into the same shapes the
 * management API accepts and pass them to the same validation.
 */
import type { FieldError } from '../api/parse-input.ts';
import { HallpassError } from '../errors.ts';

/** The form body as a record of strings (the last value of a repeated field). */
export function formFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (body === null || typeof body !== 'object') return fields;
  for (const [key, value] of Object.entries(body)) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof last === 'string') fields[key] = last;
  }
  return fields;
}

/** Field name → message, from the 422 error the shared validation raised; other errors are thrown on. */
export function fieldErrors(err: unknown, formName: (apiField: string) => string = (f) => f): Record<string, string> {
  if (!(err instanceof HallpassError) || err.code !== 'invalid_request_parameters') throw err;
  const errors = (err.fields?.errors as FieldError[] | undefined) ?? [{ field: 'form', code: 'invalid', message: err.message }];
  const byField: Record<string, string> = {};
  for (const e of errors) {
    const name = formName(e.field);
    byField[name] ??= humanize(e.message, e.field);
  }
  return byField;
}

/** "client_id: Too small…" reads better without the API's field prefix next to a labelled input. */
function humanize(message: string, field: string): string {
  const text = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message.startsWith(`${field} `) ? `This ${message.slice(field.length + 1)}` : message;
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/\.?$/, '.');
}

/**
 * The form field a `conflict` error is about (the shared uniqueness checks
 * name what is taken in their message), so the page can show it next to it.
 */
export function conflictField(err: unknown): { field: string; message: string } | undefined {
  if (!(err instanceof HallpassError) || err.code !== 'conflict') return undefined;
  const field = /^external_id/.test(err.message) ? 'external_id' : /^Domain /.test(err.message) ? 'domains' : /^Clever district/.test(err.message) ? 'district_id' : 'form';
  return { field, message: err.message };
}
