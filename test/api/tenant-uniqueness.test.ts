/**
 * Rules that keep tenants apart hold under concurrency, across instances:
 * 20 requests at once, spread over two Hallpass instances sharing one
 * database, give exactly one winner and clean 409s for the rest — one
 * organization per domain, one per external ID, and one active connection
 * per (Clever app, district). Before migration 0003 the PostgreSQL run gave
 * 6–8 active connections for one district and 20 organizations for one domain.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { api } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT, SECOND_DISTRICT, STUDENTS_ONLY_APP } from '../support/clever-seed.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';

const CONCURRENT = 20;

forEachDatabase('tenant uniqueness under concurrent requests on two instances', (database) => {
  let db: OpenTestDatabase;
  let instances: RunningHallpass[];
  let sandbox: RunningCleverSandbox;

  before(async () => {
    db = await database.open();
    instances = [await startHallpass({ databaseUrl: db.databaseUrl }), await startHallpass({ databaseUrl: db.databaseUrl })];
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${instances[0]!.url}/sso/clever/callback`), logger: false });
  });
  after(async () => {
    await sandbox?.close();
    for (const instance of instances ?? []) await instance.close();
    await db?.cleanup();
  });

  /** Sends `CONCURRENT` requests at once, alternating between the instances; returns their statuses and bodies. */
  async function race(method: string, path: (i: number) => string, body: (i: number) => unknown) {
    return Promise.all(Array.from({ length: CONCURRENT }, (_, i) => api(instances[i % 2]!, method, path(i), body(i))));
  }

  it('one domain: one organization is created, the others are 409 conflicts', async () => {
    const answers = await race('POST', () => '/organizations', (i) => ({ name: `Domain racer ${i}`, domains: ['race.example.edu'] }));
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, ...Array(CONCURRENT - 1).fill(409)]);
    for (const loser of answers.filter((a) => a.status === 409)) {
      assert.equal(loser.body.code, 'conflict');
      assert.match(loser.body.message, /domain/i);
    }
    const holders = await api(instances[0]!, 'GET', '/organizations?domains=race.example.edu');
    assert.equal(holders.body.data.length, 1);
  });

  it('one external ID: one organization is created, the others are 409 conflicts', async () => {
    const answers = await race('POST', () => '/organizations', (i) => ({ name: `External racer ${i}`, external_id: 'race-external' }));
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, ...Array(CONCURRENT - 1).fill(409)]);
    assert.ok(answers.filter((a) => a.status === 409).every((a) => /external_id/.test(a.body.message)));
  });

  it('one Clever district per Clever app: one connection goes active, the others are 409 conflicts naming no secret', async () => {
    const orgs = await race('POST', () => '/organizations', (i) => ({ name: `District racer ${i}` }));
    const clever = {
      connection_type: 'CleverOIDC',
      client_id: HALLPASS_APP.clientId,
      client_secret: HALLPASS_APP.clientSecret,
      discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
      district_id: SANDBOX_DISTRICT,
    };
    const answers = await race('POST', () => '/connections', (i) => ({ organization_id: orgs[i]!.body.id, ...clever }));
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, ...Array(CONCURRENT - 1).fill(409)]);
    const winner = answers.find((a) => a.status === 201)!;
    assert.equal(winner.body.state, 'active');
    for (const loser of answers.filter((a) => a.status === 409)) {
      assert.match(loser.body.message, new RegExp(`district ${SANDBOX_DISTRICT}`));
      assert.ok(!JSON.stringify(loser.body).includes(HALLPASS_APP.clientSecret));
    }
    const active = await api(instances[1]!, 'GET', '/connections?connection_type=CleverOIDC&limit=100');
    assert.equal(active.body.data.filter((c: any) => c.state === 'active' && c.district_id === SANDBOX_DISTRICT).length, 1);
  });

  it('the same race with Idempotency-Keys (each write commits with its answer in a transaction) is still 409s, never a 500', async () => {
    const orgs = await race('POST', () => '/organizations', (i) => ({ name: `Keyed district racer ${i}` }));
    const body = (i: number) => JSON.stringify({
      organization_id: orgs[i]!.body.id,
      connection_type: 'CleverOIDC',
      client_id: HALLPASS_APP.clientId,
      client_secret: HALLPASS_APP.clientSecret,
      discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
      district_id: SECOND_DISTRICT,
    });
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, async (_, i) => {
      const instance = instances[i % 2]!;
      const response = await fetch(`${instance.url}/connections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${instance.apiKey}`, 'content-type': 'application/json', 'idempotency-key': `keyed-race-${i}` },
        body: body(i),
      });
      return { status: response.status, body: await response.json() as { code?: string } };
    }));
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, ...Array(CONCURRENT - 1).fill(409)], JSON.stringify(answers.filter((a) => a.status >= 500)));
    assert.ok(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'conflict'));
  });

  it('another Clever app may serve the same district through its own connection', async () => {
    const org = await api(instances[0]!, 'POST', '/organizations', { name: 'Second app, same district' });
    const other = await api(instances[1]!, 'POST', '/connections', {
      organization_id: org.body.id,
      connection_type: 'CleverOIDC',
      client_id: STUDENTS_ONLY_APP.clientId,
      client_secret: STUDENTS_ONLY_APP.clientSecret,
      discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
      district_id: SANDBOX_DISTRICT,
    });
    assert.equal(other.status, 201);
    assert.equal(other.body.state, 'active');
    assert.equal(other.body.redirect_uri, `${instances[1]!.url}/sso/clever/callback/${STUDENTS_ONLY_APP.clientId}`);
  });
});
