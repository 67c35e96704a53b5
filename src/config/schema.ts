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
  HALLPASS_TEST_SSO: {
    schema: z.enum(['true', 'false']).default('false'),
    doc: 'Serve the Test SSO page (`/test-sso`), which starts a login through any connection and shows the profile. It has no sign-in of its own yet, so it is off unless set to `true` (`hallpass dev` sets it), and never served when `NODE_ENV=production`.',
  },
  HALLPASS_SANDBOX_PORT: {
    schema: z.coerce.number().int().min(0).max(65535).default(8081),
    doc: 'Port of the Clever sandbox that `npm start` (`hallpass dev`) runs beside the broker.',
  },
  HALLPASS_CLASSROOM_PORT: {
    schema: z.coerce.number().int().min(0).max(65535).default(8082),
    doc: 'Port of the Classroom reference app (`examples/classroom`) that `npm start` (`hallpass dev`) runs beside the broker; its callback is the demo\'s default redirect URI.',
  },
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']).default('development'),
    doc: '`production` refuses to start without `HALLPASS_SECRET_KEY` and an `https` public URL.',
  },
} as const;

export type SettingName = keyof typeof settings;
