import { isIP } from 'node:net';
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
  /** Addresses and CIDR ranges whose `X-Forwarded-*` headers are believed; empty: none. */
  readonly trustedProxies: readonly string[];
  readonly idempotencyLeaseMs: number;
  readonly retention: { readonly loginDays: number; readonly personalDataDays: number };
  readonly rateLimits: RateLimitSettings;
}

/** Every rate limit's maximum per window; 0 turns that limit off. */
export interface RateLimitSettings {
  readonly windowMs: number;
  readonly loginPerAddress: number;
  readonly authorizePerClient: number;
  readonly tokenFailuresPerAddress: number;
  readonly tokenFailuresPerClient: number;
  readonly apiAuthFailuresPerAddress: number;
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
  const personalDataDays = raw.HALLPASS_LOGIN_PERSONAL_DATA_DAYS ?? raw.HALLPASS_LOGIN_RETENTION_DAYS;
  if (personalDataDays > raw.HALLPASS_LOGIN_RETENTION_DAYS) {
    throw new HallpassError('config_invalid', 'HALLPASS_LOGIN_PERSONAL_DATA_DAYS must not exceed HALLPASS_LOGIN_RETENTION_DAYS');
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
    testSso: raw.HALLPASS_TEST_SSO === 'true' && raw.NODE_ENV !== 'production',
    env: raw.NODE_ENV,
    trustedProxies: Object.freeze(trustedProxyList(raw.HALLPASS_TRUSTED_PROXIES)),
    idempotencyLeaseMs: raw.HALLPASS_IDEMPOTENCY_LEASE_MS,
    retention: Object.freeze({ loginDays: raw.HALLPASS_LOGIN_RETENTION_DAYS, personalDataDays }),
    rateLimits: Object.freeze({
      windowMs: raw.HALLPASS_RATE_LIMIT_WINDOW_MS,
      loginPerAddress: raw.HALLPASS_RATE_LIMIT_LOGIN_PER_ADDRESS,
      authorizePerClient: raw.HALLPASS_RATE_LIMIT_AUTHORIZE_PER_CLIENT,
      tokenFailuresPerAddress: raw.HALLPASS_RATE_LIMIT_TOKEN_FAILURES_PER_ADDRESS,
      tokenFailuresPerClient: raw.HALLPASS_RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT,
      apiAuthFailuresPerAddress: raw.HALLPASS_RATE_LIMIT_API_AUTH_FAILURES_PER_ADDRESS,
    }),
  });
}

/** `10.0.0.0/8, 127.0.0.1` → the entries, each an IP address or a CIDR range (what Fastify's `trustProxy` takes). */
function trustedProxyList(value: string): string[] {
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const version = isIP(address);
    const maxPrefix = version === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (version === 0 || !prefixOk || extra !== undefined) {
      throw new HallpassError('config_invalid', `HALLPASS_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    }
  }
  return entries;
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
