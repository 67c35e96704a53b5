/**
 * The load generator's HTTP: node:http over keep-alive sockets, with a small
 * cookie jar per virtual user. node:http costs less CPU per request than
 * `fetch` (no WHATWG streams), and the load generator shares the machine's
 * two cores with the broker and the IdP, so its cost matters.
 */
import http from 'node:http';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  headers?: http.OutgoingHttpHeaders;
  body?: string;
}

/** A keep-alive agent with one socket per virtual user and host, so no request waits for a socket. */
export function keepAliveAgent(users: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: users, maxFreeSockets: users });
}

/** Sends one request and reads the whole answer (redirects are not followed). */
export function send(agent: http.Agent, url: URL, init: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method, headers: init.headers },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

/** Cookies by host (with port), as a browser would keep them for these plain-http loopback origins. */
export class CookieJar {
  private readonly hosts = new Map<string, Map<string, string>>();

  set(url: URL, name: string, value: string): void {
    const cookies = this.hosts.get(url.host) ?? new Map<string, string>();
    this.hosts.set(url.host, cookies);
    cookies.set(name, value);
  }

  /** The `Cookie` header for a URL, or undefined when there is none. */
  header(url: URL): string | undefined {
    const cookies = this.hosts.get(url.host);
    if (!cookies?.size) return undefined;
    return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Takes in a response's `Set-Cookie` headers; an expiring one (Max-Age=0 or a past date) is removed. */
  store(url: URL, setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', value = ''] = attribute.split('=').map((part) => part.trim().toLowerCase());
        return (key === 'max-age' && Number(value) <= 0) || (key === 'expires' && Date.parse(value) <= Date.now());
      });
      if (expired) this.hosts.get(url.host)?.delete(name);
      else this.set(url, name, pair.slice(eq + 1).trim());
    }
  }
}
