import { parseSeed } from './parse-seed.ts';
import type { SandboxSeed } from './seed-schema.ts';
import json from '../default-seed.json' with { type: 'json' };

/** The seed the sandbox runs with unless `--seed FILE` replaces it (listed in docs/sandbox.md). */
export const defaultSeed: SandboxSeed = parseSeed(json);
