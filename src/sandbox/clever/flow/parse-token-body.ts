/**
 * The token endpoint's body: `application/x-www-form-urlencoded` or
 * `application/json`, UTF-8. Anything else, multipart included, is refused
 * the way Clever refuses it.
 */
import { SandboxError } from '../sandbox-error.ts';

export function parseTokenBody(contentType: string | undefined, body: unknown): Record<string, unknown> {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (mediaType === 'application/x-www-form-urlencoded') {
    const out: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(text)) {
      const seen = out[key];
      out[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    return out;
  }
  if (mediaType === 'application/json') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SandboxError(400, 'invalid_request', 'malformed JSON body');
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      throw new SandboxError(400, 'invalid_request', 'the JSON body must be an object');
    }
    return json as Record<string, unknown>;
  }
  throw new SandboxError(400, 'invalid_request', 'invalid content-type');
}
