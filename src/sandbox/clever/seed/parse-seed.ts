import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { seedSchema, type SandboxSeed } from './seed-schema.ts';

/** A seed that cannot be used; the message names each bad field, e.g. `seed: users[3].roles.student.school: Required`. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

const maxReportedIssues = 5;

/** `['users', 3, 'roles']` → `users[3].roles`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

// A missing field reads better as "Required" than as zod's "expected string, received undefined".
const requiredMessage: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined;

/** Validates a parsed JSON seed and applies its defaults; throws a SeedError naming the bad fields. */
export function parseSeed(json: unknown): SandboxSeed {
  const result = seedSchema.safeParse(json, { error: requiredMessage });
  if (result.success) return result.data;
  const lines = result.error.issues
    .slice(0, maxReportedIssues)
    .map((issue) => `seed: ${fieldPath(issue.path) || '(root)'}: ${issue.message}`);
  const more = result.error.issues.length - maxReportedIssues;
  if (more > 0) lines.push(`seed: …and ${more} more problem${more === 1 ? '' : 's'}`);
  throw new SeedError(lines.join('\n'));
}

/** Reads and validates a JSON seed file; unreadable files and bad JSON are SeedErrors too. */
export async function loadSeedFile(path: string): Promise<SandboxSeed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SeedError(`seed: cannot read ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SeedError(`seed: ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseSeed(json);
}
