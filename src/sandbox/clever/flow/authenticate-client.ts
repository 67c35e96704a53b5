/**
 * HTTP Basic client authentication for `/oauth/tokens`, the only method
 * Clever accepts. Credentials in the body do not count.
 */
import { timingSafeEqual } from 'node:crypto';
import type { SandboxContext } from '../context.ts';
import { SandboxError } from '../sandbox-error.ts';
import type { SeedApp } from '../seed/seed-schema.ts';

// RFC 6749 §5.2: the Basic challenge answers a client that tried the Authorization header.
function invalidClient(triedHeader: boolean): SandboxError {
  return new SandboxError(401, 'invalid_client', undefined, triedHeader ? { 'www-authenticate': 'Basic realm="Clever"' } : {});
}

// RFC 6749 §2.3.1 form-encodes both halves before base64 (openid-client does);
// plain values, as in Clever's own example, decode to themselves.
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function authenticateClient(ctx: SandboxContext, authorization: string | undefined): SeedApp {
  const tried = authorization !== undefined;
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization ?? '');
  if (!match) throw invalidClient(tried);
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient(tried);
  const app = ctx.directory.app(formDecode(decoded.slice(0, colon)));
  if (!app || !sameSecret(app.client_secret, formDecode(decoded.slice(colon + 1)))) throw invalidClient(tried);
  return app;
}
