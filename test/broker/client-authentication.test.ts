/**
 * How Hallpass authenticates at a generic IdP's token endpoint: HTTP Basic,
 * the OpenID default, unless the IdP's discovery document lists only
 * client_secret_post.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { APP_CALLBACK, appResult, createOrgWithConnection, signInAtOidcProvider, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import { startOidcProvider, type RunningOidcProvider } from '../support/oidc-provider.ts';
import { UserAgent } from '../support/user-agent.ts';

let hallpass: RunningHallpass;
let op: RunningOidcProvider;
let both: RunningOidcProvider;

before(async () => {
  hallpass = await startHallpass({ redirectUris: [APP_CALLBACK] });
  op = await startOidcProvider({
    accounts: [{ id: 'post-user', login: 'pat', password: 'pw', email: 'pat@post.example' }],
    clientAuthMethods: ['client_secret_post'],
  });
  both = await startOidcProvider({ accounts: [{ id: 'basic-user', login: 'bo', password: 'pw' }] });
});
after(async () => {
  await op?.close();
  await both?.close();
  await hallpass?.close();
});

/** A whole login through `idp` for a new organization; returns the profile's idp_id. */
async function logInThrough(idp: RunningOidcProvider, name: string, login: string, method: 'client_secret_basic' | 'client_secret_post'): Promise<string> {
  const clientId = `${name}-client`;
  const { connectionId, connection } = await createOrgWithConnection(hallpass, { name }, {
    connection_type: 'GenericOIDC', client_id: clientId, client_secret: `${clientId}-secret`, discovery_endpoint: idp.discoveryEndpoint,
  });
  idp.addClient({ client_id: clientId, client_secret: `${clientId}-secret`, redirect_uris: [connection.redirect_uri], token_endpoint_auth_method: method });
  const workos = workosFor(hallpass);
  const ua = new UserAgent();
  const url = workos.sso.getAuthorizationUrl({ connection: connectionId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'p' });
  const result = appResult(await signInAtOidcProvider(ua, await ua.get(url, { stopAt: stopAtApp }), login, 'pw'));
  assert.ok(result.code, `no code: ${result.error} ${result.errorDescription}`);
  const { profile } = await workos.sso.getProfileAndToken({ code: result.code, clientId: hallpass.clientId });
  return profile.idpId;
}

it('uses HTTP Basic with an IdP that advertises Basic and POST', async () => {
  assert.equal(await logInThrough(both, 'both', 'bo', 'client_secret_basic'), 'basic-user');
  assert.deepEqual(both.tokenRequestAuth, ['basic']);
});

it('uses client_secret_post with an IdP that advertises only that', async () => {
  assert.equal(await logInThrough(op, 'post-only', 'pat', 'client_secret_post'), 'post-user');
  // oidc-provider also takes Basic from such a client, so check what Hallpass actually sent.
  assert.deepEqual(op.tokenRequestAuth, ['post']);
});
