/**
 * A small load balancer for tests of several broker instances, behaving as
 * real ones do: it checks each backend's `/ready` every 100 ms and sends to
 * the ready ones only (to all when none is), round-robin, one new connection
 * per request; a request whose connection is refused (the instance is
 * restarting) goes to the next backend, as a connect-failure retry does. Any
 * other failure is the client's to see (502): a request that reached an
 * instance is never sent twice.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const HEALTH_CHECK_INTERVAL_MS = 100;

export interface LoadBalancer {
  url: string;
  /** Requests answered by each backend (by its URL). */
  served: Map<string, number>;
  /** Connections refused and retried on another backend. */
  retries: number;
  /** How often each backend was taken out of rotation because its /ready failed. */
  takenOut: Map<string, number>;
  close(): Promise<void>;
}

export async function startLoadBalancer(backends: string[], port = 0): Promise<LoadBalancer> {
  let next = 0;
  const served = new Map<string, number>(backends.map((b) => [b, 0]));
  const balancer: LoadBalancer = { url: '', served, retries: 0, takenOut: new Map(backends.map((b) => [b, 0])), close: async () => {} };
  const ready = new Set<string>(backends);
  const check = async () => {
    await Promise.all(
      backends.map(async (backend) => {
        const ok = await fetch(`${backend}/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
        if (ok) ready.add(backend);
        else if (ready.delete(backend)) balancer.takenOut.set(backend, balancer.takenOut.get(backend)! + 1);
      }),
    );
  };
  const checker = setInterval(() => void check(), HEALTH_CHECK_INTERVAL_MS);

  function forward(backend: string, request: http.IncomingMessage, body: Buffer): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const target = new URL(request.url ?? '/', backend);
      const upstream = http.request(target, { method: request.method, headers: { ...request.headers, connection: 'close' }, agent: false }, resolve);
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const healthy = backends.filter((b) => ready.has(b));
    const candidates = healthy.length > 0 ? healthy : backends;
    const start = next++ % candidates.length;
    // Round-robin over the ready backends, then the others as a last resort.
    const order = [...candidates.slice(start), ...candidates.slice(0, start), ...backends.filter((b) => !candidates.includes(b))];
    for (const backend of order) {
      try {
        const answer = await forward(backend, request, body);
        served.set(backend, served.get(backend)! + 1);
        response.writeHead(answer.statusCode ?? 502, endToEndHeaders(answer.rawHeaders));
        answer.pipe(response);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
          balancer.retries++;
          continue;
        }
        response.writeHead(502, { 'content-type': 'text/plain' }).end(`load balancer: ${(err as Error).message}`);
        return;
      }
    }
    response.writeHead(503, { 'content-type': 'text/plain' }).end('load balancer: no backend accepted the connection');
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  balancer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  balancer.close = () =>
    new Promise<void>((resolve) => {
      clearInterval(checker);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return balancer;
}

/** Headers of the backend's answer minus the hop-by-hop ones, which belong to each connection. */
function endToEndHeaders(raw: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!['connection', 'keep-alive', 'transfer-encoding'].includes(raw[i]!.toLowerCase())) kept.push(raw[i]!, raw[i + 1]!);
  }
  return kept;
}
