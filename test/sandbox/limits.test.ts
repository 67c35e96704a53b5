/**
 * The sandbox's bounds under hostile load: pending logins and browser
 * sessions are capped in number, over-long parameters are refused, and
 * sockets that stall (nothing sent, half the headers, part of a body, an idle
 * keep-alive) are closed within their timeout.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildCleverSandbox, defaultSeed } from '../../src/sandbox/clever/index.ts';
import { UserAgent } from '../support/user-agent.ts';
import { atApp, fullApp, ids, signIn, startTestSandbox } from './helpers.ts';

const maxPendingLogins = 200;
const maxBrowserSessions = 20;
const bounded = await startTestSandbox(undefined, { settings: { maxPendingLogins, maxBrowserSessions } });
// Each timeout shorter than the others where its test needs it to fire first.
const timeouts = { headersMs: 300, requestMs: 800, keepAliveMs: 200, idleMs: 3000 };
const quick = await startTestSandbox(undefined, { settings: { timeouts } });
const idle = { headersMs: 300, requestMs: 10_000, keepAliveMs: 200, idleMs: 500 };
const quickIdle = await startTestSandbox(undefined, { settings: { timeouts: idle } });

// A real garbage collection before each heap reading, so the figure is what stays, not what is yet to be collected.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const retainedHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

const authorizeUrl = (base: string, extra: Record<string, string>) =>
  `${base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: fullApp.clientId, district_id: ids.springfield, ...extra })}`;

/** Sends `requests` GETs, `concurrency` at a time, and returns their statuses. */
async function flood(urls: string[], concurrency = 25): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < urls.length; i += concurrency) {
    const batch = await Promise.all(urls.slice(i, i + concurrency).map((url) => fetch(url, { redirect: 'manual' })));
    for (const response of batch) {
      statuses.push(response.status);
      await response.arrayBuffer();
    }
  }
  return statuses;
}

describe('pending logins are bounded in number and size', () => {
  test('3,000 authorize requests with 4 KB parameters are refused with a clear page and store nothing', async () => {
    const before = bounded.sandbox.stats().pendingLogins;
    const big = 'x'.repeat(4096);
    const urls = Array.from({ length: 3000 }, (_, i) => authorizeUrl(bounded.url, i % 2 ? { state: big } : { nonce: big }));
    const statuses = await flood(urls);
    assert.deepEqual([...new Set(statuses)], [400]);
    const page = await (await fetch(urls[0]!)).text();
    assert.match(page, /the nonce parameter is too long \(at most 2048 characters\)/);
    assert.equal(bounded.sandbox.stats().pendingLogins, before);
  });

  test('3,000 authorize requests with the largest parameters allowed keep the map at its cap; the oldest is forgotten, the newest works', async (t) => {
    // 2,048 characters each (the most allowed); `ñ` is six bytes percent-encoded, which keeps the URL under Node's 16 KB header limit.
    const largest = (i: number) => ({ state: `${i}-`.padEnd(2048, 's'), nonce: 'ñ'.repeat(2048) });
    const heapBefore = retainedHeap();
    const targets: string[] = [];
    for (let i = 0; i < 3000; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: 25 }, (_, j) => fetch(authorizeUrl(bounded.url, largest(i + j)), { redirect: 'manual' })),
      );
      for (const response of batch) {
        assert.equal(response.status, 302);
        targets.push(new URL(response.headers.get('location')!, bounded.url).searchParams.get('target')!);
      }
    }
    assert.equal(bounded.sandbox.stats().pendingLogins, maxPendingLogins);
    const grownMiB = (retainedHeap() - heapBefore) / 2 ** 20;
    t.diagnostic(`heap retained after 3,000 maximal pending logins (cap ${maxPendingLogins}): ${grownMiB.toFixed(1)} MiB`);
    // Unbounded, 3,000 of them would hold over 11 MiB of state and nonce alone.
    assert.ok(grownMiB < 6, `${grownMiB.toFixed(1)} MiB retained`);

    const oldest = await new UserAgent().get(`${bounded.url}/oauth/district-login?target=${targets[0]}&district_id=${ids.springfield}`);
    assert.equal(oldest.status, 400);
    assert.match(oldest.body, /This sign-in has expired/);

    const ua = new UserAgent();
    const newest = await ua.get(`${bounded.url}/oauth/district-login?target=${targets.at(-1)}&district_id=${ids.springfield}`);
    assert.equal(newest.status, 200);
    const done = await signIn(ua, newest, 'bart', 'pw-bart');
    assert.equal(done.stopped, true);
    assert.equal(new URL(done.url).searchParams.get('state'), largest(2999).state);
  });

  test('anonymous browser sessions (one per cookie-less login page) are capped too', async () => {
    const target = new URL((await fetch(authorizeUrl(bounded.url, {}), { redirect: 'manual' })).headers.get('location')!, bounded.url);
    const statuses = await flood(Array.from({ length: 100 }, () => target.href));
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.equal(bounded.sandbox.stats().browserSessions, maxBrowserSessions);
  });
});

/** Opens a raw socket, sends `send`, and reports when (and with what) the server closes it. */
function stalledSocket(port: number, send: (write: (text: string) => void) => void, giveUpMs = 5000): Promise<{ closedAfterMs: number | null; received: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let received = '';
    const socket = connect(port, '127.0.0.1', () => send((text) => socket.write(text)));
    socket.on('data', (chunk) => (received += chunk));
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ closedAfterMs: null, received });
    }, giveUpMs);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
    socket.on('error', () => {});
  });
}

describe('stalled sockets are closed within their timeout', () => {
  const port = () => Number(new URL(quick.url).port);
  // Node checks for overdue sockets every quarter of the shortest timeout; allow for that and a busy machine.
  const slack = 1000;

  test('a socket that sends nothing: closed after the headers timeout', async () => {
    const { closedAfterMs, received } = await stalledSocket(port(), () => {});
    assert.ok(closedAfterMs !== null && closedAfterMs >= timeouts.headersMs - 50 && closedAfterMs < timeouts.headersMs + slack, `closed after ${closedAfterMs} ms`);
    assert.match(received, /^HTTP\/1\.1 408 /);
  });

  test('half the headers: closed after the headers timeout', async () => {
    const { closedAfterMs, received } = await stalledSocket(port(), (write) => write('GET /oauth/certs HTTP/1.1\r\nHost: clever.test\r\nAccept: applica'));
    assert.ok(closedAfterMs !== null && closedAfterMs < timeouts.headersMs + slack, `closed after ${closedAfterMs} ms`);
    assert.match(received, /^HTTP\/1\.1 408 /);
  });

  const partialBody = 'POST /oauth/tokens HTTP/1.1\r\nHost: clever.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\ngrant_type=auth';

  test('headers and part of a body, then nothing: closed after the idle timeout', async () => {
    const { closedAfterMs } = await stalledSocket(Number(new URL(quickIdle.url).port), (write) => write(partialBody));
    assert.ok(closedAfterMs !== null && closedAfterMs >= idle.idleMs - 50 && closedAfterMs < idle.idleMs + slack, `closed after ${closedAfterMs} ms`);
  });

  test('headers and part of a body: closed after the request timeout when that comes first', async () => {
    const { closedAfterMs, received } = await stalledSocket(port(), (write) => write(partialBody));
    assert.ok(closedAfterMs !== null && closedAfterMs >= timeouts.requestMs - 50 && closedAfterMs < timeouts.requestMs + slack, `closed after ${closedAfterMs} ms`);
    assert.match(received, /^HTTP\/1\.1 408 /);
  });

  test('a body that trickles in faster than the idle timeout: closed after the request timeout', async () => {
    let timer: NodeJS.Timeout | undefined;
    const { closedAfterMs } = await stalledSocket(port(), (write) => {
      write('POST /oauth/tokens HTTP/1.1\r\nHost: clever.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n');
      timer = setInterval(() => write('a'), 100);
    });
    clearInterval(timer);
    assert.ok(closedAfterMs !== null && closedAfterMs >= timeouts.requestMs - 50 && closedAfterMs < timeouts.requestMs + slack, `closed after ${closedAfterMs} ms`);
  });

  test('an idle keep-alive connection: closed after the keep-alive timeout (Node adds up to a second)', async () => {
    const { closedAfterMs, received } = await stalledSocket(port(), (write) => write('GET /oauth/certs HTTP/1.1\r\nHost: clever.test\r\n\r\n'));
    assert.match(received, /^HTTP\/1\.1 200 /);
    assert.ok(closedAfterMs !== null && closedAfterMs < timeouts.keepAliveMs + 1000 + slack, `closed after ${closedAfterMs} ms`);
  });

  test('defaults: headers 10 s, request 30 s, keep-alive 5 s, idle 15 s', async () => {
    const { app } = await buildCleverSandbox({ seed: defaultSeed, publicUrl: 'http://clever.test' });
    assert.deepEqual(
      [app.server.headersTimeout, app.server.requestTimeout, app.server.keepAliveTimeout, app.server.timeout],
      [10_000, 30_000, 5_000, 15_000],
    );
    await app.close();
  });
});
