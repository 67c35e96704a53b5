/**
 * A tiny HTTP server serving OpenID discovery documents, good and bad, one
 * per path prefix: `${url}/<case>/.well-known/openid-configuration`.
 * The good case is a complete document whose issuer is `${url}/good`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type DiscoveryCase = 'good' | 'trailing-slash-issuer' | 'not-found' | 'html' | 'array' | 'incomplete' | 'wrong-issuer' | 'redirect' | 'silent' | 'endless';

export interface DiscoveryServer {
  url: string;
  /** The discovery endpoint of one case. */
  endpoint(kind: DiscoveryCase): string;
  /** How many requests a case has received. */
  hits(kind: DiscoveryCase): number;
  close(): Promise<void>;
}

const WELL_KNOWN = '/.well-known/openid-configuration';

export async function startDiscoveryServer(): Promise<DiscoveryServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const kind = path.endsWith(WELL_KNOWN) ? path.slice(1, -WELL_KNOWN.length) : '';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    answer(kind, res);
  });
  const counts = new Map<string, number>();
  let base = '';
  function metadata(issuer: string, omit?: string) {
    const doc: Record<string, string> = {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
    };
    if (omit) delete doc[omit];
    return JSON.stringify(doc);
  }
  function answer(kind: string, res: ServerResponse) {
    const json = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    switch (kind) {
      case 'good': return json(200, metadata(`${base}/good`));
      case 'trailing-slash-issuer': return json(200, metadata(`${base}/trailing-slash-issuer/`));
      case 'html': return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login here</html>');
      case 'array': return json(200, '[]');
      case 'incomplete': return json(200, metadata(`${base}/incomplete`, 'jwks_uri'));
      case 'wrong-issuer': return json(200, metadata('https://idp.other.example'));
      case 'redirect': return res.writeHead(302, { location: `${base}/good${WELL_KNOWN}` }).end();
      // Never answers: the caller's timeout must end the wait.
      case 'silent': return;
      // Streams megabytes without a Content-Length: the reader must stop, not buffer it all.
      case 'endless': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = ' '.repeat(64 * 1024);
        let sent = 0;
        const more = () => {
          while (sent < 64 && res.write(chunk)) sent += 1;
          if (sent >= 64) res.end();
          else res.once('drain', more);
        };
        return more();
      }
      default: return json(404, '{"error":"not_found"}');
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    endpoint: (kind) => `${base}/${kind}${WELL_KNOWN}`,
    hits: (kind) => counts.get(kind) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
