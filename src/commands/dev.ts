/**
 * `npm start` (`hallpass dev`): the broker, the Clever sandbox and a demo
 * setup together on SQLite, so a newcomer sees a whole login work at once.
 *
 * The demo setup is made through the broker's own management API, exactly
 * as an app would make it, and is idempotent: restarting keeps the data and
 * only replaces the demo API key (keys are stored hashed, so the previous one
 * cannot be shown again).
 */
import type { FastifyInstance } from 'fastify';
import { defaultSeed, startCleverSandbox, type SandboxSeed } from '../sandbox/clever/index.ts';
import type { HallpassContext } from '../context.ts';
import { createLogger } from '../log.ts';
import { closeOnSignals, listenBroker, openBroker } from '../start-broker.ts';
import { createApiKey } from './api-keys.ts';
import { startClassroom } from './start-classroom.ts';

const DEMO_KEY_NAME = 'npm start demo';
const DEMO_ORG_EXTERNAL_ID = 'clever-sandbox-district';
const SANDBOX_APP = defaultSeed.apps[0]!;
const SANDBOX_DISTRICT = defaultSeed.districts[0]!;

export async function dev(): Promise<void> {
  // The demo's whole point is the Test SSO page.
  const ctx = await openBroker({ ...process.env, HALLPASS_TEST_SSO: process.env.HALLPASS_TEST_SSO ?? 'true' });
  const sandboxPort = ctx.config.sandboxPort;
  const cleverCallback = `${ctx.config.publicUrl}/sso/clever/callback`;
  const sandbox = await startCleverSandbox({
    port: sandboxPort,
    host: ctx.config.host,
    seed: seedFor(cleverCallback),
    publicUrl: `http://localhost:${sandboxPort}`,
    logger: createLogger(ctx.config.logLevel === 'info' ? 'warn' : ctx.config.logLevel, 'clever-sandbox'),
  });
  const app = await listenBroker(ctx);
  const { key } = await replaceDemoKey(ctx);
  await ensureDemoSetup(ctx, app, key, sandbox.url);
  const { clientId } = await ctx.store.settings.get();
  // The reference app; its callback is where logins that start at Clever land. The broker runs on without it.
  const classroom = await startClassroom({
    hallpassUrl: ctx.config.publicUrl, apiKey: key, clientId, cleverClientId: SANDBOX_APP.client_id, port: ctx.config.classroomPort, host: ctx.config.host,
    databaseFile: `${ctx.config.dataDir}/classroom.sqlite`, logLevel: ctx.config.logLevel === 'info' ? 'warn' : ctx.config.logLevel,
  }).catch((err: Error) => void ctx.logger.warn(`${err.message}\n(set HALLPASS_CLASSROOM_PORT to a free port)`));
  if (classroom) await ctx.store.redirectUris.add(classroom.callbackUrl, true);
  closeOnSignals([() => app.close(), () => sandbox.close(), async () => classroom?.stop(), () => ctx.store.close()]);

  const u = ctx.config.publicUrl;
  const line = '─'.repeat(72);
  process.stdout.write(`
${line}
 Hallpass is running (SQLite at ${ctx.config.dataDir}/hallpass.sqlite)

 Try a whole login:     ${u}/test-sso          (click "Test SSO", sign in as nandu.perez / hallpass)
${classroom ? ` Classroom (an app):    ${classroom.url}/   (reference app: "Log in with Clever"; Portal launches land here)\n` : ''} Start at Clever:       ${sandbox.url}/in/${SANDBOX_DISTRICT.slug}   (Clever Portal)
 Instant Login:         ${sandbox.url}/oauth/instant-login?client_id=${SANDBOX_APP.client_id}&district_id=${SANDBOX_DISTRICT.id}
 Clever sandbox home:   ${sandbox.url}/   (users, passwords, more links)

 For your app (@workos-inc/node: new WorkOS(API_KEY, { apiHostname: 'localhost', port: ${ctx.config.port}, https: false })):
   Client ID  ${clientId}
   API key    ${key}   (new at every start; shown only here)
${line}
`);
}

/** The shipped seed, with the Hallpass app's primary redirect URI pointing at this broker. */
function seedFor(cleverCallback: string): SandboxSeed {
  const seed = structuredClone(defaultSeed) as SandboxSeed;
  const app = seed.apps.find((a) => a.client_id === SANDBOX_APP.client_id)!;
  app.redirect_uris = [cleverCallback, ...app.redirect_uris.filter((uri) => uri !== cleverCallback)];
  return seed;
}

async function replaceDemoKey(ctx: HallpassContext): Promise<{ key: string }> {
  for (const old of await ctx.store.apiKeys.list()) {
    if (old.name === DEMO_KEY_NAME) await ctx.store.apiKeys.revoke(old.id);
  }
  return createApiKey(ctx.store, DEMO_KEY_NAME);
}

async function ensureDemoSetup(ctx: HallpassContext, app: FastifyInstance, apiKey: string, sandboxUrl: string): Promise<void> {
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const response = await app.inject({ method, url, headers: { authorization: `Bearer ${apiKey}` }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json() as Record<string, any> };
  };

  let org = await call('GET', `/organizations/external_id/${DEMO_ORG_EXTERNAL_ID}`);
  if (org.status === 404) {
    org = await call('POST', '/organizations', { name: SANDBOX_DISTRICT.name, external_id: DEMO_ORG_EXTERNAL_ID });
  }
  const connections = await call('GET', `/connections?organization_id=${org.body.id}`);
  const settings = {
    connection_type: 'CleverOIDC',
    name: 'Clever (sandbox)',
    client_id: SANDBOX_APP.client_id,
    client_secret: SANDBOX_APP.client_secret,
    discovery_endpoint: `${sandboxUrl}/.well-known/openid-configuration`,
    district_id: SANDBOX_DISTRICT.id,
  };
  const existing = (connections.body.data as Array<{ id: string }> | undefined)?.[0];
  const saved = existing
    ? await call('PUT', `/connections/${existing.id}`, settings)
    : await call('POST', '/connections', { organization_id: org.body.id, ...settings });
  if (saved.body.state !== 'active') {
    ctx.logger.warn({ connection: saved.body }, 'the demo Clever connection did not become active');
  }
}
