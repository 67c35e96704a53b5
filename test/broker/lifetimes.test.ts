/**
 * Hallpass's codes live ten minutes and its access tokens `expires_in`
 * seconds, measured on the broker's clock (moved here; the IdP keeps real time).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { APP_CALLBACK, appResult, createOrgWithConnection, signInAtClever, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT } from '../support/clever-seed.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent } from '../support/user-agent.ts';

let offsetMs = 0;
let hallpass: RunningHallpass;
let sandbox: RunningCleverSandbox;
let organizationId: string;

before(async () => {
  hallpass = await startHallpass({ redirectUris: [APP_CALLBACK], now: () => Date.now() + offsetMs });
  sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
  ({ organizationId } = await createOrgWithConnection(hallpass, { name: 'Clock' }, {
    connection_type: 'CleverOIDC', client_id: HALLPASS_APP.clientId, client_secret: HALLPASS_APP.clientSecret,
    discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`, district_id: SANDBOX_DISTRICT,
  }));
});
after(async () => {
  await sandbox?.close();
  await hallpass?.close();
});

async function freshCode(): Promise<string> {
  offsetMs = 0;
  const ua = new UserAgent();
  const url = workosFor(hallpass).sso.getAuthorizationUrl({ organization: organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'clock' });
  return appResult(await signInAtClever(ua, await ua.get(url, { stopAt: stopAtApp }), 'nandu.perez')).code!;
}

it('a code is refused ten minutes after it was issued, and accepted just before', async () => {
  const workos = workosFor(hallpass);
  const late = await freshCode();
  offsetMs = 10 * 60_000 + 1_000;
  await assert.rejects(workos.sso.getProfileAndToken({ code: late, clientId: hallpass.clientId }), /invalid_grant|invalid, expired or already used/);

  const inTime = await freshCode();
  offsetMs = 9 * 60_000;
  assert.equal((await workos.sso.getProfileAndToken({ code: inTime, clientId: hallpass.clientId })).profile.idpId, 'd4bc587efcd7a7240ef0d662');
});

it('an access token answers /sso/profile until expires_in has passed, then 401', async () => {
  const response = await fetch(`${hallpass.url}/sso/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: hallpass.clientId, client_secret: hallpass.apiKey, code: await freshCode() }),
  });
  const { access_token: token, expires_in: expiresIn } = (await response.json()) as { access_token: string; expires_in: number };
  const profile = () => fetch(`${hallpass.url}/sso/profile`, { headers: { authorization: `Bearer ${token}` } });
  offsetMs = (expiresIn - 5) * 1000;
  assert.equal((await profile()).status, 200);
  offsetMs = (expiresIn + 1) * 1000;
  const expired = await profile();
  assert.equal(expired.status, 401);
  assert.equal(((await expired.json()) as { code: string }).code, 'unauthorized');
});
