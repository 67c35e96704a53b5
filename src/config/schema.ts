import { z } from 'zod';

/**
 * Every environment variable Hallpass reads, with its default and meaning.
 * The README's configuration table is generated from this list
 * (`npx hallpass config --markdown`), so the two cannot drift apart.
 */
export const settings = {
  HALLPASS_PORT: {
    schema: z.coerce.number().int().min(0).max(65535).default(8080),
    doc: 'TCP port the broker listens on.',
  },
  HALLPASS_HOST: {
    schema: z.string().min(1).default('127.0.0.1'),
    doc: 'Interface the broker binds to. Use `0.0.0.0` behind a load balancer or in a container.',
  },
  HALLPASS_PUBLIC_URL: {
    schema: z.url().optional(),
    doc: 'The URL browsers and identity providers use to reach Hallpass (it forms every Redirect URI). Default: `http://localhost:$HALLPASS_PORT`.',
  },
  DATABASE_URL: {
    schema: z.string().min(1).optional(),
    doc: '`postgres://…` for PostgreSQL, `sqlite:PATH` or unset for the embedded SQLite file `$HALLPASS_DATA_DIR/hallpass.sqlite`.',
  },
  HALLPASS_DATA_DIR: {
    schema: z.string().min(1).default('./data'),
    doc: 'Folder for the SQLite file and, in development only, the generated secret key.',
  },
  HALLPASS_SECRET_KEY: {
    schema: z.string().min(32, 'must be at least 32 characters').optional(),
    doc: 'Key that encrypts client secrets at rest (32+ characters; `openssl rand -base64 32`). Required when `NODE_ENV=production`; in development one is generated into `$HALLPASS_DATA_DIR/secret-key`.',
  },
  HALLPASS_UPSTREAM_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(60000).default(5000),
    doc: 'Timeout for every call Hallpass makes to an identity provider (discovery, JWKS, token, userinfo).',
  },
  HALLPASS_LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'pino log level.',
  },
  HALLPASS_ADMIN_SESSION_IDLE_MINUTES: {
    schema: z.coerce.number().int().min(1).max(1440).default(30),
    doc: 'A dashboard session ends after this many minutes without a request.',
  },
  HALLPASS_ADMIN_SESSION_MAX_HOURS: {
    schema: z.coerce.number().int().min(1).max(720).default(12),
    doc: 'A dashboard session ends this many hours after sign-in, however active.',
  },
  HALLPASS_ADMIN_INVITE_HOURS: {
    schema: z.coerce.number().int().min(1).max(720).default(72),
    doc: 'How long a link inviting someone to become an admin stays valid (it works once).',
  },
  HALLPASS_SIGN_IN_SLOW_AFTER: {
    schema: z.coerce.number().int().min(1).max(1000).default(3),
    doc: 'Wrong dashboard passwords for one account after which each further try must wait (1 s, then twice as long each time, at most a minute).',
  },
  HALLPASS_SIGN_IN_LOCK_AFTER: {
    schema: z.coerce.number().int().min(1).max(1000).default(10),
    doc: 'Wrong dashboard passwords for one account after which its sign-in is refused for `HALLPASS_SIGN_IN_LOCK_MINUTES`.',
  },
  HALLPASS_SIGN_IN_ADDRESS_SLOW_AFTER: {
    schema: z.coerce.number().int().min(1).max(10000).default(10),
    doc: 'Wrong dashboard passwords from one IP address (any account) after which each further try must wait.',
  },
  HALLPASS_SIGN_IN_ADDRESS_LOCK_AFTER: {
    schema: z.coerce.number().int().min(1).max(10000).default(50),
    doc: 'Wrong dashboard passwords from one IP address after which sign-ins from it are refused for `HALLPASS_SIGN_IN_LOCK_MINUTES`.',
  },
  HALLPASS_SIGN_IN_LOCK_MINUTES: {
    schema: z.coerce.number().int().min(1).max(1440).default(15),
    doc: 'How long a locked account or address stays refused; also how long wrong passwords are remembered.',
  },
  HALLPASS_SANDBOX_PORT: {
    schema: z.coerce.number().int().min(0).max(65535).default(8081),
    doc: 'Port of the Clever sandbox that `npm start` (`hallpass dev`) runs beside the broker.',
  },
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']).default('development'),
    doc: '`production` refuses to start without `HALLPASS_SECRET_KEY` and an `https` public URL.',
  },
} as const;

export type SettingName = keyof typeof settings;
