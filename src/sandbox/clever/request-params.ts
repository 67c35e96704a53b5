/**
 * Reads named parameters from a parsed query string or form body, refusing
 * the inputs a careless or hostile client sends: a parameter given twice
 * (which would make "which one wins" an attack surface), an empty required
 * one, or one longer than any legitimate value.
 */
import { SandboxError } from './sandbox-error.ts';

export const maxParamLength = 2048;

type Params<R extends string, O extends string> = { [K in R]: string } & { [K in O]?: string };

export function readParams<R extends string, O extends string = never>(
  source: unknown,
  required: readonly R[],
  optional: readonly O[] = [],
): Params<R, O> {
  const input = (source && typeof source === 'object' ? source : {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  const read = (name: string, isRequired: boolean) => {
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (Array.isArray(value)) throw badParam(`the ${name} parameter is repeated`);
    if (value !== undefined && typeof value !== 'string') throw badParam(`the ${name} parameter must be a string`);
    if (value !== undefined && value.length > maxParamLength) throw badParam(`the ${name} parameter is too long (at most ${maxParamLength} characters)`);
    if (value === undefined || value === '') {
      if (isRequired) throw badParam(`the ${name} parameter is missing`);
      return;
    }
    out[name] = ownCopy(value);
  };
  for (const name of required) read(name, true);
  for (const name of optional) read(name, false);
  return out as Params<R, O>;
}

/**
 * A string that owns its characters. A parsed parameter can be a slice of a
 * much larger string (the request's whole head), and a stored slice keeps
 * that alive: a pending login with 4 KB of parameters held about 80 KB.
 */
function ownCopy(value: string): string {
  // JSON round trip: a fresh flat string, one byte a character where it can be, lone surrogates kept.
  return JSON.parse(JSON.stringify(value)) as string;
}

function badParam(description: string): SandboxError {
  return new SandboxError(400, 'invalid_request', description);
}
