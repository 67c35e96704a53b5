/**
 * Classroom's settings, all from environment variables (listed in the
 * README), so the same code runs against any Hallpass deployment.
 */

export interface ClassroomConfig {
  /** Where Hallpass's API is, e.g. `https://sso.example.com` or `http://localhost:8080`. */
  hallpassUrl: URL;
  /** A Hallpass API key (`sk_…`): authenticates the code exchange and organization lookups. */
  apiKey: string;
  /** The Hallpass application's client ID (`client_…`). */
  clientId: string;
  /** The Clever app's client ID, for Log in with Clever when the Hallpass deployment serves several Clever apps. */
  cleverClientId: string | undefined;
  port: number;
  host: string;
  /** How browsers reach Classroom; `$CLASSROOM_PUBLIC_URL/callback` is the redirect URI to register in Hallpass. */
  publicUrl: string | undefined;
  /** The SQLite file (created when missing). */
  databaseFile: string;
  /** Minutes without a request after which a session ends. */
  idleTimeoutMinutes: number;
}

export const defaults = {
  CLASSROOM_PORT: 8082,
  CLASSROOM_HOST: '127.0.0.1',
  CLASSROOM_DATABASE: './classroom.sqlite',
  CLASSROOM_IDLE_TIMEOUT_MINUTES: 30,
} as const;

/** Reads the configuration, reporting every problem at once. */
export function readConfig(env: Record<string, string | undefined>): ClassroomConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };
  const integer = (name: keyof typeof defaults, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return defaults[name] as number;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  const url = (name: string, value: string): URL | undefined => {
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
      return parsed;
    } catch {
      problems.push(`${name} must be an http(s) URL`);
      return undefined;
    }
  };

  const hallpassUrlText = required('HALLPASS_URL');
  const hallpassUrl = hallpassUrlText ? url('HALLPASS_URL', hallpassUrlText) : undefined;
  const publicUrlText = env.CLASSROOM_PUBLIC_URL?.trim() || undefined;
  if (publicUrlText) url('CLASSROOM_PUBLIC_URL', publicUrlText);
  const config: ClassroomConfig = {
    hallpassUrl: hallpassUrl ?? new URL('http://invalid'),
    apiKey: required('HALLPASS_API_KEY'),
    clientId: required('HALLPASS_CLIENT_ID'),
    cleverClientId: env.CLEVER_CLIENT_ID?.trim() || undefined,
    port: integer('CLASSROOM_PORT', 0, 65535),
    host: env.CLASSROOM_HOST?.trim() || defaults.CLASSROOM_HOST,
    publicUrl: publicUrlText?.replace(/\/+$/, ''),
    databaseFile: env.CLASSROOM_DATABASE?.trim() || defaults.CLASSROOM_DATABASE,
    idleTimeoutMinutes: integer('CLASSROOM_IDLE_TIMEOUT_MINUTES', 1, 24 * 60),
  };
  if (problems.length > 0) throw new Error(`Classroom cannot start:\n  - ${problems.join('\n  - ')}`);
  return config;
}
