import { z } from 'zod';
import { settings, type SettingName } from './schema.ts';
import { HallpassError } from '../errors.ts';

type Raw = { [K in SettingName]: z.output<(typeof settings)[K]['schema']> };

/** Validated, frozen configuration of one broker process. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Public base URL without a trailing slash. */
  readonly publicUrl: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly secretKey: string | undefined;
  readonly upstreamTimeoutMs: number;
  readonly logLevel: Raw['HALLPASS_LOG_LEVEL'];
  readonly sandboxPort: number;
  readonly classroomPort: number;
  /** Whether /test-sso is served (never in production). */
  readonly testSso: boolean;
  readonly env: Raw['NODE_ENV'];
}

/**
 * Reads configuration from an environment object (default `process.env`),
 * validates it against the schema and returns a frozen object.
 * Throws a `config_invalid` HallpassError naming the variable on bad input.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const shape = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v.schema]));
  const input = Object.fromEntries(
    Object.keys(settings).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HallpassError('config_invalid', `${String(issue.path[0])}: ${issue.message}`);
  }
  const raw = parsed.data as Raw;
  const publicUrl = (raw.HALLPASS_PUBLIC_URL ?? `http://localhost:${raw.HALLPASS_PORT}`).replace(/\/+$/, '');
  if (raw.NODE_ENV === 'production') {
    if (!raw.HALLPASS_SECRET_KEY) {
      throw new HallpassError('config_invalid', 'HALLPASS_SECRET_KEY is required when NODE_ENV=production');
    }
    if (!publicUrl.startsWith('https://')) {
      throw new HallpassError('config_invalid', 'HALLPASS_PUBLIC_URL must be https when NODE_ENV=production');
    }
  }
  return Object.freeze({
    port: raw.HALLPASS_PORT,
    host: raw.HALLPASS_HOST,
    publicUrl,
    databaseUrl: raw.DATABASE_URL,
    dataDir: raw.HALLPASS_DATA_DIR,
    secretKey: raw.HALLPASS_SECRET_KEY,
    upstreamTimeoutMs: raw.HALLPASS_UPSTREAM_TIMEOUT_MS,
    logLevel: raw.HALLPASS_LOG_LEVEL,
    sandboxPort: raw.HALLPASS_SANDBOX_PORT,
    classroomPort: raw.HALLPASS_CLASSROOM_PORT,
    testSso: raw.HALLPASS_TEST_SSO === 'true' && raw.NODE_ENV !== 'production',
    env: raw.NODE_ENV,
  });
}

/** The README's configuration table, generated from the schema. */
export function configMarkdownTable(): string {
  const rows = Object.entries(settings).map(([name, s]) => {
    const def = s.schema.safeParse(undefined);
    const shown = def.success && def.data !== undefined ? `\`${String(def.data)}\`` : '—';
    return `| \`${name}\` | ${shown} | ${s.doc} |`;
  });
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
