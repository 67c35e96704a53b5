/**
 * Hallpass's one error class and the one place that turns it into an HTTP answer.
 *
 * Every failure that reaches a caller carries a stable `code` from the table
 * below. Failures from libraries (fetch, openid-client, jose, the database) are
 * translated into a HallpassError once, where they enter our code, so callers
 * can `switch (err.code)`.
 */

/**
 * Stable error codes: HTTP status, whether the description may be shown, and
 * what the code means (the README's error table is generated from `doc`).
 */
export const errorCodes = {
  // OAuth 2.0 / WorkOS token endpoint (RFC 6749 §5.2); all 400, as WorkOS does.
  invalid_request: { status: 400, expose: true, doc: 'A parameter is missing, repeated, too long or malformed.' },
  invalid_client: { status: 400, expose: true, doc: 'Unknown `client_id`, or `client_secret` is not a valid API key.' },
  invalid_grant: { status: 400, expose: true, doc: 'The code is unknown, expired, already used, or the PKCE verifier does not match.' },
  unsupported_grant_type: { status: 400, expose: true, doc: '`grant_type` is not `authorization_code`.' },
  unsupported_response_type: { status: 400, expose: true, doc: '`response_type` is not `code`.' },
  // WorkOS /sso/authorize errors, sent back to the app's redirect_uri.
  connection_invalid: { status: 400, expose: true, doc: 'The connection does not exist or is not active.' },
  organization_invalid: { status: 400, expose: true, doc: 'The organization does not exist or has no active connection; for Clever, no organization serves the user\'s district.' },
  ambiguous_connection_selector: { status: 400, expose: true, doc: 'More than one of `connection`, `organization`, `provider` was given.' },
  invalid_connection_selector: { status: 400, expose: true, doc: 'None of `connection`, `organization`, `provider` was given, or the provider is not supported.' },
  oauth_failed: { status: 400, expose: true, doc: 'The identity provider failed or its answer was refused (signature, issuer, audience, expiry, nonce, …).' },
  access_denied: { status: 403, expose: true, doc: 'The identity provider denied access, or the sign-in came back to another browser or district.' },
  // Management API.
  unauthorized: { status: 401, expose: true, doc: 'The API key or access token is missing or invalid.' },
  entity_not_found: { status: 404, expose: true, doc: 'No such organization, connection or route.' },
  method_not_allowed: { status: 405, expose: true, doc: 'The HTTP method is not allowed here.' },
  conflict: { status: 409, expose: true, doc: 'The request conflicts with stored data (e.g. a domain or external ID in use).' },
  payload_too_large: { status: 413, expose: true, doc: 'The request body is larger than 64 KB.' },
  unsupported_media_type: { status: 415, expose: true, doc: 'The body is not JSON or form-encoded.' },
  invalid_request_parameters: { status: 422, expose: true, doc: 'Fields failed validation; `errors` lists them.' },
  rate_limit_exceeded: { status: 429, expose: true, doc: 'Too many requests (or failed ones) from this address or for this client; `Retry-After` says when to try again. At `/sso/token` it is the OAuth `error`; for browser steps, a page.' },
  // Calls to identity providers (discovery, JWKS, token, userinfo).
  upstream_timeout: { status: 502, expose: true, doc: 'The identity provider did not answer in time.' },
  upstream_unreachable: { status: 502, expose: true, doc: 'The identity provider could not be reached.' },
  upstream_error: { status: 502, expose: true, doc: 'The identity provider answered with an error (kept verbatim for the admin).' },
  upstream_invalid_response: { status: 502, expose: true, doc: 'The identity provider\'s answer failed validation.' },
  // Start-up.
  config_invalid: { status: 500, expose: true, doc: 'Configuration is invalid (start-up only).' },
  // The database cannot be reached or opened; the description names where, so it stays private
  // and callers see the code with `publicMessage` (a retry later may succeed, unlike a 500).
  database_unavailable: { status: 503, expose: false, publicMessage: 'The service is briefly unavailable; try again in a moment.', doc: 'The database cannot be reached or opened (or stopped answering); retry later.' },
  // Anything not meant for the outside world.
  server_error: { status: 500, expose: false, doc: 'An unexpected error; details are logged, never shown.' },
} as const satisfies Record<string, { status: number; expose: boolean; doc: string; publicMessage?: string }>;

export type ErrorCode = keyof typeof errorCodes;

export interface HallpassErrorOptions {
  /** Private detail for logs and the login-attempt record; never sent to an app or browser. */
  detail?: string;
  /** The upstream IdP's own error code, kept verbatim for the admin. */
  upstreamError?: string;
  /** Override of the HTTP status from the code table. */
  status?: number;
  /** Extra public fields for API errors (e.g. `errors`, `entity_id`). */
  fields?: Record<string, unknown>;
  /** Where in a login it happened (a LoginStep), when the raiser knows better than the caller. */
  step?: string;
  cause?: unknown;
}

export class HallpassError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  readonly detail: string | undefined;
  readonly upstreamError: string | undefined;
  readonly fields: Record<string, unknown> | undefined;
  readonly step: string | undefined;

  constructor(code: ErrorCode, description: string, options: HallpassErrorOptions = {}) {
    super(description, { cause: options.cause });
    this.name = 'HallpassError';
    this.code = code;
    this.status = options.status ?? errorCodes[code].status;
    this.expose = errorCodes[code].expose;
    this.detail = options.detail;
    this.upstreamError = options.upstreamError;
    this.fields = options.fields;
    this.step = options.step;
  }
}

/** Narrows anything thrown into a HallpassError; unknown failures become `server_error`. */
export function toHallpassError(err: unknown): HallpassError {
  if (err instanceof HallpassError) return err;
  const fastifyStatus = (err as { statusCode?: number } | null)?.statusCode;
  const message = err instanceof Error ? err.message : String(err);
  // Fastify's own 4xx (bad JSON, body too large, wrong content type) are the caller's fault.
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const code: ErrorCode =
      fastifyStatus === 413 ? 'payload_too_large'
      : fastifyStatus === 415 ? 'unsupported_media_type'
      : fastifyStatus === 405 ? 'method_not_allowed'
      : fastifyStatus === 404 ? 'entity_not_found'
      : 'invalid_request';
    return new HallpassError(code, message, { status: fastifyStatus, cause: err });
  }
  return new HallpassError('server_error', 'An unexpected error occurred.', { detail: message, cause: err });
}

/**
 * What the outside world may see of an error: its code and description when
 * exposed; for a private error with a public message (the database being
 * down), its code and that message; otherwise `server_error`.
 */
export function publicError(err: HallpassError): { code: string; message: string } {
  if (err.expose) return { code: err.code, message: err.message };
  const publicMessage = (errorCodes[err.code] as { publicMessage?: string }).publicMessage;
  return publicMessage ? { code: err.code, message: publicMessage } : { code: 'server_error', message: 'An unexpected error occurred.' };
}

/** The OAuth error body (`error`, `error_description`) for this error. */
export function oauthErrorBody(err: HallpassError): { error: string; error_description: string } {
  const { code, message } = publicError(err);
  return { error: code, error_description: message };
}

/** The management API's JSON error body (`code`, `message`, plus public fields). */
export function apiErrorBody(err: HallpassError): Record<string, unknown> {
  return err.expose ? { code: err.code, message: err.message, ...err.fields } : publicError(err);
}

/** The README's error-code table, generated from `errorCodes`. */
export function errorCodesMarkdownTable(): string {
  const rows = Object.entries(errorCodes).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.doc} |`);
  return ['| code | HTTP status | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
