import type { Logger } from 'pino';
import { defaultSeed } from './seed/default-seed.ts';
import type { SandboxSeed } from './seed/seed-schema.ts';
import { assembleCleverSandbox, normalizePublicUrl, type CleverSandbox } from './server.ts';
import type { ClaimRewrites, ClaimShape, SandboxSettingsInput } from './settings.ts';

export interface StartCleverSandboxOptions {
  /** 0 picks a free port. Default 8081. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: the seed shipped with Hallpass. */
  seed?: SandboxSeed;
  /** Default: `http://{host}:{actual port}`. */
  publicUrl?: string;
  logger?: Logger | false;
  now?: () => number;
  /**
   * `current` (Clever's documentation today: `district` in the ID token,
   * `user_type` `staff` / `district admin`) or `legacy` (seed 001:
   * `district_id`, `school_admin` / `district_admin`). Default: the seed's
   * `claims`, else `current`.
   */
  claims?: ClaimShape;
  /** Rate limit, memory bounds and server timeouts; any subset, the rest default. */
  settings?: SandboxSettingsInput;
  /** For tests of clients: rewrites ID-token or `/userinfo` claims (e.g. no district at all). Not Clever behaviour. */
  rewriteClaims?: ClaimRewrites;
}

export interface RunningCleverSandbox extends CleverSandbox {
  /** Where the sandbox listens, as browsers should use it (the public URL). */
  url: string;
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Builds a sandbox and listens; with `port: 0` the issuer is known only once the port is, so it is set after listening. */
export async function startCleverSandbox(options: StartCleverSandboxOptions = {}): Promise<RunningCleverSandbox> {
  const host = options.host ?? '127.0.0.1';
  const { sandbox, ctx } = await assembleCleverSandbox({
    seed: options.seed ?? defaultSeed,
    publicUrl: options.publicUrl ?? 'http://127.0.0.1',
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.claims ? { claims: options.claims } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.rewriteClaims ? { rewriteClaims: options.rewriteClaims } : {}),
  });
  await sandbox.app.listen({ port: options.port ?? 8081, host });
  const address = sandbox.app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  if (!options.publicUrl) {
    ctx.issuer = normalizePublicUrl(`http://${urlHost(host)}:${port}`);
    ctx.secureCookies = false;
  }
  return Object.assign(sandbox, {
    url: ctx.issuer,
    close: () => sandbox.app.close(),
  });
}
