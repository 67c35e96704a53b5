/**
 * The Test SSO page: off unless enabled; when on, it completes a login
 * through the sandbox, shows the failing step when one fails, and never
 * touches a code issued to an app.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { APP_CALLBACK, appResult, createOrgWithConnection, signInAtClever, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { brokerTestSeed, HALLPASS_APP, SANDBOX_DISTRICT } from '../support/clever-seed.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { UserAgent } from '../support/user-agent.ts';

describe('Test SSO', () => {
  let hallpass: RunningHallpass;
  let sandbox: RunningCleverSandbox;
  let org: { organizationId: string; connectionId: string };

  before(async () => {
    hallpass = await startHallpass({ redirectUris: [APP_CALLBACK], env: { HALLPASS_TEST_SSO: 'true' } });
    sandbox = await startCleverSandbox({ port: 0, seed: brokerTestSeed(`${hallpass.url}/sso/clever/callback`), logger: false });
    org = await createOrgWithConnection(hallpass, { name: 'Sandbox' }, {
      connection_type: 'CleverOIDC', client_id: HALLPASS_APP.clientId, client_secret: HALLPASS_APP.clientSecret,
      discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`, district_id: SANDBOX_DISTRICT,
    });
  });
  after(async () => {
    await sandbox?.close();
    await hallpass?.close();
  });

  it('is not served unless HALLPASS_TEST_SSO=true', async () => {
    const plain = await startHallpass();
    try {
      assert.equal((await fetch(`${plain.url}/test-sso`)).status, 404);
    } finally {
      await plain.close();
    }
  });

  it('signs in through a connection and shows the profile', async () => {
    const ua = new UserAgent();
    const list = await ua.get(`${hallpass.url}/test-sso`);
    assert.match(list.body, new RegExp(org.connectionId));
    const page = await signInAtClever(ua, await ua.submit(list, { form: '/test-sso/start' }), 'li.ming', { stopAt: () => false });
    assert.equal(page.status, 200);
    assert.match(page.body, /Test SSO succeeded/);
    assert.match(page.body, /李/);
  });

  it('never redeems a code that was issued to an app', async () => {
    const workos = workosFor(hallpass);
    const ua = new UserAgent();
    const url = workos.sso.getAuthorizationUrl({ organization: org.organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 's' });
    const { code } = appResult(await signInAtClever(ua, await ua.get(url, { stopAt: stopAtApp }), 'jose.garcia'));
    const stolen = await fetch(`${hallpass.url}/test-sso/result?code=${encodeURIComponent(code!)}`);
    assert.equal(stolen.status, 400);
    assert.doesNotMatch(await stolen.text(), /jose|García/i);
    const { profile } = await workos.sso.getProfileAndToken({ code: code!, clientId: hallpass.clientId });
    assert.equal(profile.firstName, 'José');
  });
});
