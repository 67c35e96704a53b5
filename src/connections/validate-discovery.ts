/**
 * Checks an OpenID Provider's discovery endpoint before a connection goes
 * live, and says in plain words what is wrong when it cannot.
 *
 * This runs when an admin saves a connection's settings, so the reasons are
 * written for that admin: they are stored on the connection and shown back.
 */

/** The path every discovery endpoint ends with (OpenID Connect Discovery 1.0 §4). */
export const WELL_KNOWN_PATH = '/.well-known/openid-configuration';

/** Metadata a relying party cannot work without. */
const REQUIRED_METADATA = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const;

/** Discovery documents are a few kilobytes; anything far larger is not one. */
const MAX_DOCUMENT_BYTES = 512 * 1024;

export type DiscoveryValidation = { ok: true; issuer: string } | { ok: false; reason: string };

export interface ValidateDiscoveryOptions {
  /** Deadline for the whole exchange, body included. */
  timeoutMs: number;
  /** In production an IdP must be reached over TLS: its answers vouch for identities. */
  requireHttps: boolean;
}

/**
 * Fetches `url` and checks that it serves OpenID Provider metadata whose
 * `issuer` matches the URL, i.e. `issuer + /.well-known/openid-configuration`
 * equals `url` (trailing slashes on the issuer ignored). Never throws: every
 * failure, network ones included, becomes `{ ok: false, reason }`.
 */
export async function validateDiscoveryEndpoint(url: string, options: ValidateDiscoveryOptions): Promise<DiscoveryValidation> {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    return { ok: false, reason: `${url} is not a URL` };
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') {
    return { ok: false, reason: `discovery endpoint must be an http(s) URL, not ${endpoint.protocol}` };
  }
  if (options.requireHttps && endpoint.protocol !== 'https:') {
    return { ok: false, reason: 'discovery endpoint must use https in production' };
  }

  const fetched = await fetchDocument(endpoint, options.timeoutMs);
  if (!fetched.ok) return fetched;

  let document: unknown;
  try {
    document = JSON.parse(fetched.text);
  } catch {
    return { ok: false, reason: `discovery endpoint did not answer with JSON (content-type: ${fetched.contentType ?? 'none'})` };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { ok: false, reason: 'discovery endpoint answered with JSON that is not an object of OpenID metadata' };
  }

  const metadata = document as Record<string, unknown>;
  const missing = REQUIRED_METADATA.filter((name) => typeof metadata[name] !== 'string' || metadata[name] === '');
  if (missing.length > 0) {
    return { ok: false, reason: `discovery document lacks ${missing.join(', ')}` };
  }

  const issuer = metadata.issuer as string;
  if (!issuerMatches(issuer, endpoint)) {
    return {
      ok: false,
      reason: `issuer ${issuer} does not match the discovery endpoint ${endpoint.href} (expected the endpoint to be the issuer followed by ${WELL_KNOWN_PATH})`,
    };
  }
  return { ok: true, issuer };
}

type FetchedDocument = { ok: true; text: string; contentType: string | null } | { ok: false; reason: string };

/** GETs the document, translating fetch's failures (timeout, DNS, refused) into reasons. */
async function fetchDocument(endpoint: URL, timeoutMs: number): Promise<FetchedDocument> {
  try {
    // One signal for headers and body, so a server that stalls mid-body also hits the deadline.
    const response = await fetch(endpoint, {
      headers: { accept: 'application/json' },
      // A redirect would make the issuer check compare against a URL the admin never entered.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      return { ok: false, reason: `discovery endpoint answered ${response.status} (a redirect${location ? ` to ${location}` : ''}); enter the final URL` };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, reason: `discovery endpoint answered ${response.status}` };
    }
    const declaredLength = Number(response.headers.get('content-length') ?? 0);
    if (declaredLength > MAX_DOCUMENT_BYTES) {
      await response.body?.cancel();
      return { ok: false, reason: `discovery document is too large (${declaredLength} bytes)` };
    }
    const text = await readCapped(response, MAX_DOCUMENT_BYTES);
    if (text === undefined) return { ok: false, reason: `discovery document is larger than ${MAX_DOCUMENT_BYTES} bytes` };
    return { ok: true, text, contentType: response.headers.get('content-type') };
  } catch (err) {
    return { ok: false, reason: describeFetchFailure(err, timeoutMs) };
  }
}

/** The body as text, or undefined as soon as it passes `limit` bytes (a missing Content-Length must not let it grow unbounded). */
async function readCapped(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) {
      await response.body.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFetchFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `timed out after ${timeoutMs} ms`;
  }
  // undici reports network failures as `TypeError: fetch failed` with the system error as cause.
  const cause = err instanceof Error ? (err.cause as { message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.message === 'string' && cause.message !== '') {
    return `could not reach discovery endpoint: ${cause.message}`;
  }
  return `could not reach discovery endpoint: ${err instanceof Error ? err.message : String(err)}`;
}

/** OpenID Connect Discovery 1.0 §4.3: the issuer must be the URL the document was fetched under. */
function issuerMatches(issuer: string, endpoint: URL): boolean {
  let expected: URL;
  try {
    expected = new URL(issuer.replace(/\/+$/, '') + WELL_KNOWN_PATH);
  } catch {
    return false;
  }
  // `URL` normalizes host case and default ports, so only real differences remain.
  return stripTrailingSlashes(expected.href) === stripTrailingSlashes(endpoint.href);
}

function stripTrailingSlashes(href: string): string {
  return href.replace(/\/+$/, '');
}
