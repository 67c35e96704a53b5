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
  ) {
    super(description ?? error);
  }
}

/** Paths answered in JSON; everything else is a page a person looks at. */
export function isApiPath(path: string): boolean {
  return (
    path.startsWith('/oauth/tokens') ||
    path.startsWith('/oauth/certs') ||
    path.startsWith('/userinfo') ||
    path.startsWith('/v3.0/') ||
    path.startsWith('/.well-known/')
  );
}
