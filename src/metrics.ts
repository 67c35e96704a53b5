/**
 * Prometheus metrics (prom-client), served at `/metrics` on a listener of
 * their own (`HALLPASS_METRICS_PORT`), never on the public port: a broker's
 * public port faces the internet through the load balancer, and sign-in
 * counts by outcome are nobody else's business.
 *
 * One broker per process, so one registry per process. Until
 * {@link enableMetrics} is called (the broker does when a metrics port is
 * set), every `count…`/`observe…` function is a no-op, so a deployment
 * without metrics pays nothing for them.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The steps of a login the broker serves, each one request. */
export type LoginStepRoute = 'authorize' | 'callback' | 'token';
/** Calls Hallpass makes to an identity provider. */
export type UpstreamCall = 'discovery' | 'token' | 'userinfo' | 'data_api';

interface Instruments {
  registry: Registry;
  signIns: Counter<'outcome' | 'connection_type' | 'step'>;
  stepSeconds: Histogram<'step' | 'status'>;
  upstreamSeconds: Histogram<'call' | 'outcome'>;
  rateLimited: Counter<'route'>;
  databaseErrors: Counter<'kind'>;
}

let instruments: Instruments | undefined;

/** Creates the registry and its instruments (once per process); returns the registry. */
export function enableMetrics(): Registry {
  if (instruments) return instruments.registry;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hallpass_' });
  const registers = [registry];
  instruments = {
    registry,
    signIns: new Counter({
      name: 'hallpass_sign_ins_total',
      help: 'Sign-ins that ended, by outcome, connection type and the step they ended at (code_redeemed for a success).',
      labelNames: ['outcome', 'connection_type', 'step'],
      registers,
    }),
    stepSeconds: new Histogram({
      name: 'hallpass_login_step_duration_seconds',
      help: 'Time the broker took to answer each step of a login (authorize, IdP callback, token), by HTTP status.',
      labelNames: ['step', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    upstreamSeconds: new Histogram({
      name: 'hallpass_upstream_request_duration_seconds',
      help: 'Time of each call to an identity provider (discovery, token, userinfo, Clever Data API), by outcome.',
      labelNames: ['call', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    rateLimited: new Counter({
      name: 'hallpass_rate_limited_requests_total',
      help: 'Requests refused with 429 by a rate limit, by route.',
      labelNames: ['route'],
      registers,
    }),
    databaseErrors: new Counter({
      name: 'hallpass_database_errors_total',
      help: 'Database failures: unavailable (cannot connect, connection lost) or query (any other failed statement, constraint conflicts excepted).',
      labelNames: ['kind'],
      registers,
    }),
  };
  return registry;
}

/** Whether metrics are being collected in this process. */
export function metricsEnabled(): boolean {
  return instruments !== undefined;
}

/** A sign-in ended: succeeded (the app redeemed its code) or failed at `step`. */
export function countSignIn(outcome: 'succeeded' | 'failed', connectionType: string | null | undefined, step: string): void {
  instruments?.signIns.inc({ outcome, connection_type: connectionType ?? 'unknown', step });
}

export function observeLoginStep(step: LoginStepRoute, status: number, seconds: number): void {
  instruments?.stepSeconds.observe({ step, status: String(status) }, seconds);
}

/** Times `call` to an identity provider and records its duration and outcome. */
export async function timeUpstream<T>(call: UpstreamCall, run: () => Promise<T>): Promise<T> {
  if (!instruments) return run();
  const stop = instruments.upstreamSeconds.startTimer({ call });
  try {
    const result = await run();
    stop({ outcome: 'ok' });
    return result;
  } catch (err) {
    stop({ outcome: 'error' });
    throw err;
  }
}

/** A request was refused by a rate limit (call it where the 429 is sent). */
export function countRateLimited(route: string): void {
  instruments?.rateLimited.inc({ route });
}

export function countDatabaseError(kind: 'unavailable' | 'query'): void {
  instruments?.databaseErrors.inc({ kind });
}

/**
 * The metrics listener: `GET /metrics` in Prometheus's text format and nothing
 * else, on its own host and port.
 */
export async function listenMetrics(options: { port: number; host: string }): Promise<{ url: string; close(): Promise<void> }> {
  const registry = enableMetrics();
  const app: FastifyInstance = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()));
  await app.listen({ port: options.port, host: options.host });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`, close: () => app.close() };
}
