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
  readonly classroomPort: number;
  readonly env: Raw['NODE_ENV'];
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly shutdownDelayMs: number;
  /** Port of the separate metrics listener; undefined: no metrics. */
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  /** Addresses and CIDR ranges whose `X-Forwarded-*` headers are believed; empty: none. */
  readonly trustedProxies: readonly string[];
  readonly idempotencyLeaseMs: number;
  readonly retention: { readonly loginDays: number; readonly personalDataDays: number };
  readonly rateLimits: RateLimitSettings;
  /** The dashboard's admin sessions and sign-in throttling. */
  readonly admin: AdminConfig;
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

export interface AdminConfig {
  readonly sessionIdleMs: number;
  readonly sessionMaxMs: number;
  readonly inviteMs: number;
  /** How long a setup link made in the dashboard stays valid. */
  readonly setupLinkMs: number;
  readonly signIn: {
    readonly account: { readonly slowAfter: number; readonly lockAfter: number };
    readonly address: { readonly slowAfter: number; readonly lockAfter: number };
    /** How long a lock lasts, and how long failures are remembered. */
    readonly lockMs: number;
  };
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
  const personalDataDays = raw.HALLPASS_LOGIN_PERSONAL_DATA_DAYS ?? raw.HALLPASS_LOGIN_RETENTION_DAYS;
  if (personalDataDays !== undefined && raw.HALLPASS_LOGIN_RETENTION_DAYS !== undefined && personalDataDays > raw.HALLPASS_LOGIN_RETENTION_DAYS) {
    problems.push('HALLPASS_LOGIN_PERSONAL_DATA_DAYS must not exceed HALLPASS_LOGIN_RETENTION_DAYS');
  }
  let trustedProxies: string[] = [];
  try {
    trustedProxies = trustedProxyList(raw.HALLPASS_TRUSTED_PROXIES ?? '');
  } catch (err) {
    problems.push((err as Error).message);
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
    classroomPort: data.HALLPASS_CLASSROOM_PORT,
    env: data.NODE_ENV,
    headersTimeoutMs: data.HALLPASS_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: data.HALLPASS_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: data.HALLPASS_KEEP_ALIVE_TIMEOUT_MS,
    shutdownGraceMs: data.HALLPASS_SHUTDOWN_GRACE_MS,
    shutdownDelayMs: data.HALLPASS_SHUTDOWN_DELAY_MS,
    metricsPort: data.HALLPASS_METRICS_PORT,
    metricsHost: data.HALLPASS_METRICS_HOST,
    trustedProxies: Object.freeze(trustedProxies),
    idempotencyLeaseMs: data.HALLPASS_IDEMPOTENCY_LEASE_MS,
    retention: Object.freeze({ loginDays: data.HALLPASS_LOGIN_RETENTION_DAYS, personalDataDays: personalDataDays! }),
    rateLimits: Object.freeze({
      windowMs: data.HALLPASS_RATE_LIMIT_WINDOW_MS,
      loginPerAddress: data.HALLPASS_RATE_LIMIT_LOGIN_PER_ADDRESS,
      authorizePerClient: data.HALLPASS_RATE_LIMIT_AUTHORIZE_PER_CLIENT,
      tokenFailuresPerAddress: data.HALLPASS_RATE_LIMIT_TOKEN_FAILURES_PER_ADDRESS,
      tokenFailuresPerClient: data.HALLPASS_RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT,
      apiAuthFailuresPerAddress: data.HALLPASS_RATE_LIMIT_API_AUTH_FAILURES_PER_ADDRESS,
    }),
    admin: Object.freeze({
      sessionIdleMs: data.HALLPASS_ADMIN_SESSION_IDLE_MINUTES * 60_000,
      sessionMaxMs: data.HALLPASS_ADMIN_SESSION_MAX_HOURS * 3_600_000,
      inviteMs: data.HALLPASS_ADMIN_INVITE_HOURS * 3_600_000,
      setupLinkMs: data.HALLPASS_SETUP_LINK_DAYS * 86_400_000,
      signIn: Object.freeze({
        account: { slowAfter: data.HALLPASS_SIGN_IN_SLOW_AFTER, lockAfter: data.HALLPASS_SIGN_IN_LOCK_AFTER },
        address: { slowAfter: data.HALLPASS_SIGN_IN_ADDRESS_SLOW_AFTER, lockAfter: data.HALLPASS_SIGN_IN_ADDRESS_LOCK_AFTER },
        lockMs: data.HALLPASS_SIGN_IN_LOCK_MINUTES * 60_000,
      }),
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
      throw new Error(`HALLPASS_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
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
