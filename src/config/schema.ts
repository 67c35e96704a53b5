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
  HALLPASS_TRUSTED_PROXIES: {
    schema: z.string().trim().default(''),
    doc: 'Comma-separated addresses or CIDR ranges of the reverse proxies in front of Hallpass (e.g. `10.0.0.0/8,127.0.0.1`). Only a request arriving from one of them may name the client\'s address in `X-Forwarded-For` (and the scheme and host in `X-Forwarded-Proto`/`-Host`); from anyone else those headers are ignored, so a client cannot pick its own address to walk past a per-address rate limit. Empty: trust no proxy.',
  },
  HALLPASS_IDEMPOTENCY_LEASE_MS: {
    schema: z.coerce.number().int().min(1000).max(300000).default(30000),
    doc: 'How long a request holding an `Idempotency-Key` keeps it before another request may take it over. A retry of a request whose instance died waits at most this long; it should exceed the slowest request (`POST /connections` checks the discovery endpoint within `HALLPASS_UPSTREAM_TIMEOUT_MS`). A request outlived by its lease cannot commit: its write is rolled back.',
  },
  HALLPASS_LOGIN_RETENTION_DAYS: {
    schema: z.coerce.number().int().min(1).max(3650).default(30),
    doc: 'Days a sign-in session (login attempt) is kept; the sweep deletes older ones, and the hourly counts of refused requests with them.',
  },
  HALLPASS_LOGIN_PERSONAL_DATA_DAYS: {
    schema: z.coerce.number().int().min(0).max(3650).optional(),
    doc: 'Days a sign-in session keeps who signed in (IdP user ID, email); after that the sweep blanks them and keeps the rest. At most `HALLPASS_LOGIN_RETENTION_DAYS`, its default. Set it shorter for students\' data (0: blank at the next sweep).',
  },
  HALLPASS_RATE_LIMIT_WINDOW_MS: {
    schema: z.coerce.number().int().min(1000).max(3600000).default(60000),
    doc: 'The window every rate limit below counts in. Limits are per instance (in memory): with N instances behind a load balancer, a client may reach up to N times each limit.',
  },
  HALLPASS_RATE_LIMIT_LOGIN_PER_ADDRESS: {
    schema: z.coerce.number().int().min(0).default(30000),
    doc: 'Requests per window from one client address to `/sso/authorize` and the IdP callbacks together (IPv6: per /64). High on purpose: a district\'s web filter may send every student through one address (50,000 students signing in within 10 minutes is 10,000 requests a minute), and a login is two of these requests. 0: no limit.',
  },
  HALLPASS_RATE_LIMIT_AUTHORIZE_PER_CLIENT: {
    schema: z.coerce.number().int().min(0).default(60000),
    doc: 'Requests per window to `/sso/authorize` for one `client_id`: a cap on how many logins one instance starts. 0: no limit.',
  },
  HALLPASS_RATE_LIMIT_TOKEN_FAILURES_PER_ADDRESS: {
    schema: z.coerce.number().int().min(0).default(300),
    doc: 'Failed `/sso/token` requests (bad client, secret, code or verifier) per window from one address; once reached, every `/sso/token` request from it is refused until the window ends. 0: no limit.',
  },
  HALLPASS_RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT: {
    schema: z.coerce.number().int().min(0).default(1200),
    doc: 'Failed `/sso/token` requests per window for one `client_id`; once reached, its requests without a valid API key (PKCE only) are refused until the window ends. Requests with a valid API key are never held back by other people\'s failures. 0: no limit.',
  },
  HALLPASS_RATE_LIMIT_API_AUTH_FAILURES_PER_ADDRESS: {
    schema: z.coerce.number().int().min(0).default(60),
    doc: 'Failed API-key authentications at the management API per window from one address; once reached, every management API request from it is refused until the window ends. 0: no limit.',
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
  HALLPASS_SETUP_LINK_DAYS: {
    schema: z.coerce.number().int().min(1).max(365).default(30),
    doc: 'Days a setup link made in the dashboard stays valid (links made through the API live 5 minutes until first opened, then as long as a dashboard session may: `HALLPASS_ADMIN_SESSION_MAX_HOURS`).',
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
  HALLPASS_HEADERS_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(600000).default(10000),
    doc: 'A connection must send its request line and headers within this time, or it is closed (slow or silent clients).',
  },
  HALLPASS_REQUEST_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(600000).default(30000),
    doc: 'A request must arrive whole, headers and body, within this time (the body timeout), or it is answered 408 and closed.',
  },
  HALLPASS_KEEP_ALIVE_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(600000).default(5000),
    doc: 'How long an idle keep-alive connection stays open between requests. Behind a load balancer, set it above the balancer\'s own idle timeout.',
  },
  HALLPASS_SHUTDOWN_GRACE_MS: {
    schema: z.coerce.number().int().min(0).max(600000).default(10000),
    doc: 'On SIGTERM/SIGINT the broker stops accepting connections and lets requests in flight finish for at most this long, then exits.',
  },
  HALLPASS_SHUTDOWN_DELAY_MS: {
    schema: z.coerce.number().int().min(0).max(600000).default(0),
    doc: 'On SIGTERM, keep accepting connections this long while `/ready` answers 503, so a load balancer that checks `/ready` stops sending before the listener closes (a connection that arrives as it closes is reset, not refused). Behind a balancer, set it to the balancer\'s check interval × its unhealthy threshold.',
  },
  HALLPASS_METRICS_PORT: {
    schema: z.coerce.number().int().min(0).max(65535).optional(),
    doc: 'Port of a separate listener serving Prometheus metrics at `/metrics`. Unset: no metrics are collected or served. Never the public port, so metrics cannot leak through the load balancer.',
  },
  HALLPASS_METRICS_HOST: {
    schema: z.string().min(1).default('127.0.0.1'),
    doc: 'Interface of the metrics listener. Use `0.0.0.0` in a container and keep the port off the public network.',
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
