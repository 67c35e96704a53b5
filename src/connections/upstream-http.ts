/**
 * The HTTP client for every call Hallpass makes to an IdP (given to
 * openid-client as its `customFetch`): node:http(s) with keep-alive, and one
 * timer per request that is cleared as soon as the answer is in.
 *
 * Why not the global fetch: on the login path undici's fetch cost about
 * 350 µs of CPU per call, and an `AbortSignal.timeout` another ~140 µs
 * (it builds a DOMException when it fires, even after the request finished).
 * Redirects are never followed (openid-client asks for `redirect: 'manual'`).
 */
import http from 'node:http';
import https from 'node:https';
import type { CustomFetch } from 'openid-client';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/** Larger answers are not OpenID metadata, tokens, keys or userinfo. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export class UpstreamTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export function createUpstreamFetch(timeoutMs: number): CustomFetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      const agent = agents[url.protocol as keyof typeof agents];
      if (!agent) return reject(new TypeError(`unsupported protocol ${url.protocol}`));
      const body = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' ? init.body : init.body instanceof URLSearchParams ? init.body.toString() : Buffer.from(init.body as ArrayBuffer);
      const request = (url.protocol === 'https:' ? https : http).request(url, { method: init.method, headers: init.headers, agent });
      const timer = setTimeout(() => request.destroy(new UpstreamTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      init.signal?.addEventListener('abort', () => request.destroy(init.signal!.reason as Error), { once: true });
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) request.destroy(new TypeError(`answer larger than ${MAX_RESPONSE_BYTES} bytes`));
          else chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(timer);
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (Array.isArray(value)) for (const v of value) headers.append(name, v);
            else if (value !== undefined) headers.set(name, value);
          }
          const status = response.statusCode ?? 502;
          // Responses with these statuses may not carry a body in the Fetch API.
          const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, statusText: response.statusMessage ?? '', headers }));
        });
      });
      request.end(body);
    });
}
