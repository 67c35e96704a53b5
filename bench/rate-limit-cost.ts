/**
 * `node --import tsx bench/rate-limit-cost.ts`
 *
 * The CPU the rate limiter adds to one login, measured in-process so that a
 * busy machine changes it little: the limiter calls one login makes
 * (authorize: a hit per address and one per client ID; the callback: a hit
 * per address; /sso/token: a read of the failures per address), from 65,536
 * addresses in turn, with limits out of reach. Compare it with the broker's
 * CPU per login from `npm run bench`.
 */
import Fastify, { type FastifyRequest } from 'fastify';
import { createLimit, registerRateLimits } from '../src/rate-limits.ts';
import { clientIdOf } from '../src/sso/params.ts';

const LOGINS = 200_000;
const ROUNDS = 5;

async function main(): Promise<void> {
  const app = Fastify();
  await registerRateLimits(app);
  const window = { windowMs: 60_000 };
  const browserSteps = createLimit(app, { ...window, max: 1e9 });
  const authorizePerClient = createLimit(app, { ...window, max: 1e9, key: (request) => clientIdOf(request.query) });
  const tokenFailures = createLimit(app, { ...window, max: 1e9 });
  await app.ready();

  // What the limiter reads of a request: its address, its route's config and the query.
  const requests = Array.from({ length: 65_536 }, (_, i) => ({
    ip: `10.0.${i >> 8}.${i & 255}`,
    routeOptions: { config: {} },
    query: { client_id: 'client_01BENCH' },
  }) as unknown as FastifyRequest);

  const perLoginUs: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < LOGINS; i++) {
      const request = requests[i & 65_535]!;
      await browserSteps.hit(request);
      await authorizePerClient.hit(request);
      await browserSteps.hit(request);
      await tokenFailures.reached(request);
    }
    const used = process.cpuUsage(start);
    const us = (used.user + used.system) / LOGINS;
    // Round 0 warms the JIT up.
    if (round > 0) perLoginUs.push(us);
    process.stdout.write(`round ${round}${round === 0 ? ' (warm-up)' : ''}: ${us.toFixed(2)} µs CPU per login\n`);
  }
  perLoginUs.sort((a, b) => a - b);
  process.stdout.write(`limiter CPU per login: median ${perLoginUs[Math.floor(perLoginUs.length / 2)]!.toFixed(2)} µs (range ${perLoginUs[0]!.toFixed(2)}–${perLoginUs.at(-1)!.toFixed(2)} µs)\n`);
  await app.close();
}

await main();
