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
  /** Whether /test-sso is served (never in production). */
  readonly testSso: boolean;
  readonly env: Raw['NODE_ENV'];
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly shutdownDelayMs: number;
  /** Port of the separate metrics listener; undefined: no metrics. */
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
}

/**
 * Reads configuration from an environment object (default `process.env`),
 * validates it against the schema and returns a frozen object.
 * Throws one `config_invalid` HallpassError naming every invalid variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const shape = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v.schema]));
  const input = Object.fromEntries(
    Object.keys(settings).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = z.object(shape).safeParse(input);
  // Every problem at once, so a deployment is fixed in one round, not one variable per restart.
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
  const raw = (parsed.success ? parsed.data : {}) as Partial<Raw>;
  const valid = (name: SettingName) => parsed.success || !parsed.error.issues.some((issue) => issue.path[0] === name);
  const publicUrl = (input.HALLPASS_PUBLIC_URL !== undefined && valid('HALLPASS_PUBLIC_URL') ? String(input.HALLPASS_PUBLIC_URL) : `http://localhost:${raw.HALLPASS_PORT ?? input.HALLPASS_PORT ?? 8080}`).replace(/\/+$/, '');
  if ((input.NODE_ENV ?? 'development') === 'production') {
    if (!input.HALLPASS_SECRET_KEY) problems.push('HALLPASS_SECRET_KEY is required when NODE_ENV=production');
    if (!publicUrl.startsWith('https://')) problems.push('HALLPASS_PUBLIC_URL must be https when NODE_ENV=production');
  }
  if (raw.HALLPASS_HEADERS_TIMEOUT_MS !== undefined && raw.HALLPASS_REQUEST_TIMEOUT_MS !== undefined && raw.HALLPASS_HEADERS_TIMEOUT_MS > raw.HALLPASS_REQUEST_TIMEOUT_MS) {
    problems.push('HALLPASS_HEADERS_TIMEOUT_MS must not be larger than HALLPASS_REQUEST_TIMEOUT_MS (the headers are part of the request)');
  }
  if (raw.HALLPASS_SHUTDOWN_DELAY_MS !== undefined && raw.HALLPASS_SHUTDOWN_GRACE_MS !== undefined && raw.HALLPASS_SHUTDOWN_DELAY_MS >= raw.HALLPASS_SHUTDOWN_GRACE_MS && raw.HALLPASS_SHUTDOWN_DELAY_MS > 0) {
    problems.push('HALLPASS_SHUTDOWN_DELAY_MS must be shorter than HALLPASS_SHUTDOWN_GRACE_MS (the grace period includes the delay)');
  }
  if (problems.length > 0 || !parsed.success) {
    throw new HallpassError('config_invalid', problems.length === 1 ? problems[0]! : `${problems.length} settings are invalid:\n  ${problems.join('\n  ')}`);
  }
  const data = parsed.data as Raw;
  return Object.freeze({
    port: data.HALLPASS_PORT,
    host: data.HALLPASS_HOST,
    publicUrl,
    databaseUrl: data.DATABASE_URL,
    dataDir: data.HALLPASS_DATA_DIR,
    secretKey: data.HALLPASS_SECRET_KEY,
    upstreamTimeoutMs: data.HALLPASS_UPSTREAM_TIMEOUT_MS,
    logLevel: data.HALLPASS_LOG_LEVEL,
    sandboxPort: data.HALLPASS_SANDBOX_PORT,
    testSso: data.HALLPASS_TEST_SSO === 'true' && data.NODE_ENV !== 'production',
    env: data.NODE_ENV,
    headersTimeoutMs: data.HALLPASS_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: data.HALLPASS_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: data.HALLPASS_KEEP_ALIVE_TIMEOUT_MS,
    shutdownGraceMs: data.HALLPASS_SHUTDOWN_GRACE_MS,
    shutdownDelayMs: data.HALLPASS_SHUTDOWN_DELAY_MS,
    metricsPort: data.HALLPASS_METRICS_PORT,
    metricsHost: data.HALLPASS_METRICS_HOST,
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
