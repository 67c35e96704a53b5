/**
 * Slow and silent clients cannot hold the broker's sockets: raw TCP
 * connections that send nothing, half their headers, or headers and part of
 * a body are closed within the configured timeouts, and an idle keep-alive
 * connection within the keep-alive timeout.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';

const HEADERS_TIMEOUT_MS = 600;
const REQUEST_TIMEOUT_MS = 1200;
const KEEP_ALIVE_TIMEOUT_MS = 500;
/** Node checks the timeouts periodically (a quarter of the headers timeout here), so allow that and some slack. */
const SLACK_MS = 600;

interface Closed {
  afterMs: number;
  received: string;
}

/** Opens a socket, writes `data` (if any), and resolves when the server closes it. */
function openAndWait(port: number, data?: string): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let received = '';
    const socket: Socket = connect(port, '127.0.0.1', () => {
      if (data) socket.write(data);
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ afterMs: performance.now() - started, received }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`the socket was still open after 10 s; received: ${received}`));
    }, 10_000).unref();
  });
}

describe('server timeouts', () => {
  let hallpass: RunningHallpass;
  let port: number;

  before(async () => {
    hallpass = await startHallpass({
      env: {
        HALLPASS_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
        HALLPASS_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        HALLPASS_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
      },
    });
    port = Number(new URL(hallpass.url).port);
  });
  after(() => hallpass?.close());

  it('closes a connection that sends nothing within the headers timeout', async () => {
    const closed = await openAndWait(port);
    assert.ok(closed.afterMs < HEADERS_TIMEOUT_MS + SLACK_MS, `closed after ${Math.round(closed.afterMs)} ms`);
  });

  it('closes a connection that sends half its headers within the headers timeout', async () => {
    const closed = await openAndWait(port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */');
    assert.ok(closed.afterMs >= HEADERS_TIMEOUT_MS - 50, `closed too early, after ${Math.round(closed.afterMs)} ms`);
    assert.ok(closed.afterMs < HEADERS_TIMEOUT_MS + SLACK_MS, `closed after ${Math.round(closed.afterMs)} ms`);
    assert.match(closed.received, /^HTTP\/1\.1 408/);
  });

  it('closes a connection that sends its headers and part of its body within the request timeout', async () => {
    const closed = await openAndWait(
      port,
      'POST /sso/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\ngrant_type=authorization_code&co',
    );
    assert.ok(closed.afterMs >= REQUEST_TIMEOUT_MS - 50, `closed too early, after ${Math.round(closed.afterMs)} ms`);
    assert.ok(closed.afterMs < REQUEST_TIMEOUT_MS + SLACK_MS, `closed after ${Math.round(closed.afterMs)} ms`);
    assert.match(closed.received, /^HTTP\/1\.1 408/);
  });

  it('closes an idle keep-alive connection within the keep-alive timeout, after answering', async () => {
    const closed = await openAndWait(port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.match(closed.received, /^HTTP\/1\.1 200/);
    // The client is told the timeout; the server closes a little later (Node's keepAliveTimeoutBuffer,
    // 1 s), so a client reusing the socket at the last advertised moment does not race the close.
    assert.match(closed.received, /keep-alive: timeout=0/i);
    assert.ok(closed.afterMs < KEEP_ALIVE_TIMEOUT_MS + 1000 + SLACK_MS, `closed after ${Math.round(closed.afterMs)} ms`);
  });

  it('refuses a headers timeout longer than the request timeout, with both settings named', async () => {
    const { loadConfig } = await import('../../src/config/index.ts');
    assert.throws(
      () => loadConfig({ HALLPASS_HEADERS_TIMEOUT_MS: '5000', HALLPASS_REQUEST_TIMEOUT_MS: '1000' }),
      /HALLPASS_HEADERS_TIMEOUT_MS must not be larger than HALLPASS_REQUEST_TIMEOUT_MS/,
    );
  });
});
