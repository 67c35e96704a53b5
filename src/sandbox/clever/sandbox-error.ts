/**
 * The one error type the sandbox's handlers throw. The server's error handler
 * renders it as Clever does: a JSON `{"error": …}` body on API endpoints and
 * an HTML error page on browser pages.
 */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';

  constructor(
    readonly status: number,
    /** The machine-readable `error` value of JSON answers. */
    readonly error: string,
    /** Shown to people: `error_description` in JSON, the message of an HTML error page. */
    readonly description: string | undefined = undefined,
    readonly headers: Record<string, string> = {},
    /** `emptyBody`: answer with the status and headers alone, as Clever's 429 does. */
    readonly options: { emptyBody?: boolean } = {},
  ) {
    super(description ?? error);
  }
}

/**
 * Data API paths of every version, known or not (`/v1.1/…`, `/v2.1/…`,
 * `/v3.0/…`): an app or library calling them expects JSON, so even a path
 * the sandbox does not serve answers in JSON.
 */
export function isDataApiPath(path: string): boolean {
  return /^\/v\d+(\.\d+)?(\/|$)/.test(path);
}

/** Paths answered in JSON; everything else is a page a person looks at. */
export function isApiPath(path: string): boolean {
  return (
    path.startsWith('/oauth/tokens') ||
    path.startsWith('/oauth/certs') ||
    path.startsWith('/userinfo') ||
    path.startsWith('/.well-known/') ||
    isDataApiPath(path)
  );
}
