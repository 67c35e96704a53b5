/**
 * Hallpass's one error class and the one place that turns it into an HTTP answer.
 *
 * Every failure that reaches a caller carries a stable `code` from the table
 * below. Failures from libraries (fetch, openid-client, jose, the database) are
 * translated into a HallpassError once, where they enter our code, so callers
 * can `switch (err.code)`.
 */

/** Stable error codes, their HTTP status and whether the description may be shown. */
export const errorCodes = {
  // OAuth 2.0 / WorkOS token endpoint (RFC 6749 §5.2); all 400, as WorkOS does.
  invalid_request: { status: 400, expose: true },
  invalid_client: { status: 400, expose: true },
  invalid_grant: { status: 400, expose: true },
  unauthorized_client: { status: 400, expose: true },
  unsupported_grant_type: { status: 400, expose: true },
  unsupported_response_type: { status: 400, expose: true },
  invalid_scope: { status: 400, expose: true },
  // WorkOS /sso/authorize errors, sent back to the app's redirect_uri.
  connection_invalid: { status: 400, expose: true },
  connection_domain_invalid: { status: 400, expose: true },
  organization_invalid: { status: 400, expose: true },
  ambiguous_connection_selector: { status: 400, expose: true },
  invalid_connection_selector: { status: 400, expose: true },
  oauth_failed: { status: 400, expose: true },
  access_denied: { status: 403, expose: true },
  // Management API.
  unauthorized: { status: 401, expose: true },
  forbidden: { status: 403, expose: true },
  entity_not_found: { status: 404, expose: true },
  method_not_allowed: { status: 405, expose: true },
  conflict: { status: 409, expose: true },
  payload_too_large: { status: 413, expose: true },
  unsupported_media_type: { status: 415, expose: true },
  invalid_request_parameters: { status: 422, expose: true },
  rate_limited: { status: 429, expose: true },
  // Calls to identity providers (discovery, JWKS, token, userinfo).
  upstream_timeout: { status: 502, expose: true },
  upstream_unreachable: { status: 502, expose: true },
  upstream_error: { status: 502, expose: true },
  upstream_invalid_response: { status: 502, expose: true },
  // Start-up.
  config_invalid: { status: 500, expose: true },
  // The database cannot be reached or opened; the description names where, so it stays private.
  database_unavailable: { status: 503, expose: false },
  // Anything not meant for the outside world.
  server_error: { status: 500, expose: false },
} as const satisfies Record<string, { status: number; expose: boolean }>;

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
  cause?: unknown;
}

export class HallpassError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  readonly detail: string | undefined;
  readonly upstreamError: string | undefined;
  readonly fields: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, description: string, options: HallpassErrorOptions = {}) {
    super(description, { cause: options.cause });
    this.name = 'HallpassError';
    this.code = code;
    this.status = options.status ?? errorCodes[code].status;
    this.expose = errorCodes[code].expose;
    this.detail = options.detail;
    this.upstreamError = options.upstreamError;
    this.fields = options.fields;
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

/** The OAuth error body (`error`, `error_description`) for this error. */
export function oauthErrorBody(err: HallpassError): { error: string; error_description: string } {
  return err.expose
    ? { error: err.code, error_description: err.message }
    : { error: 'server_error', error_description: 'An unexpected error occurred.' };
}

/** The management API's JSON error body (`code`, `message`, plus public fields). */
export function apiErrorBody(err: HallpassError): Record<string, unknown> {
  return err.expose
    ? { code: err.code, message: err.message, ...err.fields }
    : { code: 'server_error', message: 'An unexpected error occurred.' };
}
