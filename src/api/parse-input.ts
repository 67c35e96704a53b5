/**
 * Turns zod's verdict on a request's body or query into the management API's
 * 422 answer, so every route reports bad input the same way.
 */
import type { z } from 'zod';
import { HallpassError } from '../errors.ts';

/** One entry of the `errors` array in a 422 body. */
export interface FieldError {
  /** Where the problem is, e.g. `domain_data[0].domain`. */
  field: string;
  /**
   * A readable machine code, e.g. `name_required`. The WorkOS SDK builds its
   * exception message from these codes alone, so they name the field.
   */
  code: string;
  message: string;
}

/**
 * Parses `input` with `schema`; on failure throws `invalid_request_parameters`
 * (422) listing every problem. Unknown fields are dropped by the schemas, not
 * refused, as WorkOS does.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, source: 'body' | 'query'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidParameters(result.error.issues.map((issue) => toFieldError(issue, source, input)));
}

/** The 422 error for problems found by hand, after the schema passed. */
export function invalidParameters(errors: FieldError[]): HallpassError {
  return new HallpassError('invalid_request_parameters', `Validation failed: ${errors.map((e) => e.message).join('; ')}.`, {
    fields: { errors },
  });
}

function toFieldError(issue: z.core.$ZodIssue, source: 'body' | 'query', input: unknown): FieldError {
  if (issue.path.length === 0) {
    return {
      field: source,
      code: `${source}_invalid`,
      message: source === 'body' ? 'the request body must be a JSON object' : issue.message,
    };
  }
  const field = issue.path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
  // The code names the innermost named field: `domain_data[0].domain` → `domain_invalid`.
  const name = String([...issue.path].reverse().find((part) => typeof part === 'string') ?? source);
  // zod does not report the input by default, so look the value up: only an absent key is "required".
  const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
  return {
    field,
    code: `${name}_${missing ? 'required' : 'invalid'}`,
    message: missing ? `${field} is required` : `${field}: ${issue.message}`,
  };
}

/** The value at `path` in `input`, or undefined when any step is absent (own properties only). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}
