/**
 * Restarts that lose no sign-in. Two broker processes (`hallpass serve`) on
 * one PostgreSQL database behind a load balancer, logins running
 * continuously through the Clever sandbox, and each instance restarted in
 * turn with SIGTERM: its /ready fails (the balancer, which checks it, takes
 * the instance out), it stops accepting (connections still sent to it are
 * refused and retried on the other instance), finishes what it has in
 * flight, exits 0, and comes back. Not one login may fail.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { LoadGenerator } from '../../bench/load.ts';
import { freePort, runCli, startServer, type ServerProcess } from '../../bench/processes.ts';
import { APP_REDIRECT_URI, benchSeed, createCleverOrganization } from '../../bench/stack.ts';
import { databases, type EmptyTestDatabase } from '../support/databases.ts';
import { startLoadBalancer, type LoadBalancer } from '../support/load-balancer.ts';

const postgres = databases.find((d) => d.name === 'postgres')!;
const VIRTUAL_USERS = 6;
/** How long the load runs between restarts, so each instance serves logins before it goes. */
const SETTLE_MS = 1500;

describe('rolling restart of two instances [postgres]', { skip: postgres.skip, timeout: 180_000 }, () => {
  let db: EmptyTestDatabase;
  let dataDir: string;
  let sandbox: ServerProcess;
  let balancer: LoadBalancer;
  const instances: Array<{ name: string; port: number; url: string; process?: ServerProcess }> = [];
  let env: NodeJS.ProcessEnv;
  let load: LoadGenerator | undefined;

  const startInstance = async (instance: (typeof instances)[number]) => {
    instance.process = await startServer(instance.name, ['serve'], {
      env: { ...env, HALLPASS_PORT: String(instance.port), HALLPASS_DATA_DIR: join(dataDir, instance.name) },
      ready: /listening at/,
    });
  };

  before(async () => {
    db = await postgres.create();
    dataDir = await mkdtemp(join(tmpdir(), 'hallpass-rolling-'));
    const [sandboxPort, balancerPort, portA, portB] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const publicUrl = `http://127.0.0.1:${balancerPort}`;
    instances.push({ name: 'a', port: portA, url: `http://127.0.0.1:${portA}` }, { name: 'b', port: portB, url: `http://127.0.0.1:${portB}` });

    const seedPath = join(dataDir, 'clever-seed.json');
    await writeFile(seedPath, JSON.stringify(await benchSeed(`${publicUrl}/sso/clever/callback`)));
    sandbox = await startServer('clever sandbox', ['sandbox', 'clever', '--port', String(sandboxPort), '--seed', seedPath], {
      env: { ...process.env, HALLPASS_LOG_LEVEL: 'warn' },
      ready: /listening at/,
    });

    // One deployment: the same database, secret key and public URL (the balancer's).
    env = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: db.databaseUrl,
      HALLPASS_HOST: '127.0.0.1',
      HALLPASS_PUBLIC_URL: publicUrl,
      HALLPASS_DATA_DIR: dataDir,
      HALLPASS_LOG_LEVEL: 'warn',
      HALLPASS_SECRET_KEY: randomBytes(32).toString('base64'),
      HALLPASS_SHUTDOWN_GRACE_MS: '15000',
      // The balancer checks /ready every 100 ms: a few checks' time to take an instance out.
      HALLPASS_SHUTDOWN_DELAY_MS: '500',
    };
    const keyOutput = await runCli(['api-keys', 'create', '--name', 'rolling'], env);
    const apiKey = /\b(sk_\S+)/.exec(keyOutput)?.[1];
    const clientId = /Client ID: (\S+)/.exec(keyOutput)?.[1];
    assert.ok(apiKey && clientId, keyOutput);
    await runCli(['redirect-uris', 'add', APP_REDIRECT_URI, '--default'], env);

    for (const instance of instances) await startInstance(instance);
    balancer = await startLoadBalancer(instances.map((i) => i.url), balancerPort);
    const organizationId = await createCleverOrganization(publicUrl, apiKey, sandboxUrl);
    load = new LoadGenerator({ brokerUrl: publicUrl, sandboxUrl, clientId, apiKey, organizationId }, VIRTUAL_USERS);
  });

  after(async () => {
    await load?.stop().catch(() => {});
    for (const instance of instances) await instance.process?.stop();
    await balancer?.close();
    await sandbox?.stop();
    await db?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('restarts each instance in turn under continuous logins with zero failed logins', async () => {
    await load!.start();
    await sleep(SETTLE_MS);
    const restarts: string[] = [];
    for (const instance of instances) {
      const before = load!.counters().logins;
      const servedBefore = balancer.served.get(instance.url)!;
      assert.ok(servedBefore > 0, `${instance.name} served requests before its restart`);
      const exitCode = await instance.process!.stop('SIGTERM');
      assert.equal(exitCode, 0, `${instance.name} exited cleanly:\n${instance.process!.output()}`);
      // Logins go on through the other instance while this one is down.
      await sleep(500);
      await startInstance(instance);
      await sleep(SETTLE_MS);
      assert.ok(balancer.served.get(instance.url)! > servedBefore, `${instance.name} served requests again after its restart`);
      restarts.push(`${instance.name}: ${load!.counters().logins - before} logins during its restart`);
    }
    await load!.stop();
    const { logins, errors, errorKinds } = load!.counters();
    load = undefined;
    assert.equal(errors, 0, `failed logins: ${JSON.stringify([...errorKinds])}`);
    assert.ok(logins >= 20, `only ${logins} logins ran`);
    for (const instance of instances) assert.ok(balancer.takenOut.get(instance.url)! > 0, `the balancer took ${instance.name} out when its /ready failed`);
    process.stdout.write(`# ${logins} logins, 0 failed; ${balancer.retries} refused connections retried; ${restarts.join('; ')}\n`);
  });
});
