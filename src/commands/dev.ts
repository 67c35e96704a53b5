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
import { redirectUriFor } from '../connections/redirect-uri.ts';
import { createLogger } from '../log.ts';
import { closeOnSignals, listenBroker, listenNamingTheSetting, openBroker } from '../start-broker.ts';
import { createApiKey } from './api-keys.ts';
import { createAdmin } from '../dashboard/admin-accounts.ts';
import { hashPassword } from '../dashboard/passwords.ts';
import { paths } from '../dashboard/paths.ts';
import { newSecret } from '../secrets.ts';
import { startClassroom } from './start-classroom.ts';

const DEMO_KEY_NAME = 'npm start demo';
const DEMO_ADMIN_EMAIL = 'admin@hallpass.localhost';
const DEMO_ORG_EXTERNAL_ID = 'clever-sandbox-district';
const SANDBOX_APP = defaultSeed.apps[0]!;
const SANDBOX_DISTRICT = defaultSeed.districts[0]!;

export async function dev(): Promise<void> {
  const ctx = await openBroker();
  const sandboxPort = ctx.config.sandboxPort;
  const { firstCleverClientId } = await ctx.store.settings.get();
  const cleverCallback = redirectUriFor(ctx.config.publicUrl, { id: '', connectionType: 'CleverOIDC', clientId: SANDBOX_APP.client_id }, firstCleverClientId)!;
  const sandbox = await listenNamingTheSetting(
    () =>
      startCleverSandbox({
        port: sandboxPort,
        host: ctx.config.host,
        seed: seedFor(cleverCallback),
        publicUrl: `http://localhost:${sandboxPort}`,
        logger: createLogger(ctx.config.logLevel === 'info' ? 'warn' : ctx.config.logLevel, 'clever-sandbox'),
      }),
    'HALLPASS_SANDBOX_PORT', 'HALLPASS_HOST', ctx.config.host, sandboxPort,
  ).catch(async (err: unknown) => {
    await ctx.store.close();
    throw err;
  });
  let broker;
  try {
    broker = await listenBroker(ctx);
  } catch (err) {
    await Promise.allSettled([sandbox.close(), ctx.store.close()]);
    throw err;
  }
  const app = broker.app;
  const { key } = await replaceDemoKey(ctx);
  const adminPassword = await resetDemoAdmin(ctx);
  const connectionId = await ensureDemoSetup(ctx, app, key, sandbox.url);
  const { clientId } = await ctx.store.settings.get();
  // The reference app; its callback is where logins that start at Clever land. The broker runs on without it.
  const classroom = await startClassroom({
    hallpassUrl: ctx.config.publicUrl, apiKey: key, clientId, cleverClientId: SANDBOX_APP.client_id, port: ctx.config.classroomPort, host: ctx.config.host,
    databaseFile: `${ctx.config.dataDir}/classroom.sqlite`, logLevel: ctx.config.logLevel === 'info' ? 'warn' : ctx.config.logLevel,
  }).catch((err: Error) => void ctx.logger.warn(`${err.message}\n(set HALLPASS_CLASSROOM_PORT to a free port)`));
  if (classroom) await ctx.store.redirectUris.add(classroom.callbackUrl, true);
  closeOnSignals([() => broker.close(), () => sandbox.close(), async () => classroom?.stop()], [() => ctx.store.close()], ctx.config.shutdownGraceMs, ctx.logger);

  const u = ctx.config.publicUrl;
  const line = '─'.repeat(72);
  process.stdout.write(`
${line}
 Hallpass is running (SQLite at ${ctx.config.dataDir}/hallpass.sqlite)

 Dashboard:             ${u}${paths.home}
   sign in as           ${DEMO_ADMIN_EMAIL} / ${adminPassword}   (new at every start)

 Try a whole login:     ${u}${paths.connection(connectionId)}
                        (sign in to the dashboard, click "Test SSO", sign in as nandu.perez / hallpass)
${classroom ? ` Classroom (an app):    ${classroom.url}/   (reference app: "Log in with Clever"; Portal launches land here)\n` : ''} Start at Clever:       ${sandbox.url}/in/${SANDBOX_DISTRICT.slug}   (Clever Portal)
 Instant Login:         ${sandbox.url}/oauth/instant-login?client_id=${SANDBOX_APP.client_id}&district_id=${SANDBOX_DISTRICT.id}
 Clever sandbox home:   ${sandbox.url}/   (users, passwords, more links)

 For your app (@workos-inc/node: new WorkOS(API_KEY, { apiHostname: 'localhost', port: ${ctx.config.port}, https: false })):
   Client ID  ${clientId}
   API key    ${key}   (new at every start; shown only here)
${line}
`);
}

/** The demo admin, with a fresh password at every start (only its hash is stored, so the old one cannot be shown). */
async function resetDemoAdmin(ctx: HallpassContext): Promise<string> {
  const password = newSecret('demo', 12);
  const existing = await ctx.store.admins.findByEmail(DEMO_ADMIN_EMAIL);
  if (existing) await ctx.store.admins.setPassword(existing.id, await hashPassword(password));
  else await createAdmin(ctx, DEMO_ADMIN_EMAIL, password);
  return password;
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

/** Returns the demo connection's ID. */
async function ensureDemoSetup(ctx: HallpassContext, app: FastifyInstance, apiKey: string, sandboxUrl: string): Promise<string> {
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

  // Logins that start at Clever need a default redirect URI; in the demo it is the dashboard's
  // Test SSO result page, so a Portal launch shows its profile there. (Demo data made before the
  // dashboard used the old /test-sso/result page, which is gone.)
  const uris = await ctx.store.redirectUris.list();
  const retired = `${ctx.config.publicUrl}/test-sso/result`;
  if (uris.some((r) => r.uri === retired)) await ctx.store.redirectUris.remove(retired);
  if (!uris.some((r) => r.isDefault && r.uri !== retired)) await ctx.store.redirectUris.add(`${ctx.config.publicUrl}${paths.testSsoResult}`, true);
  return saved.body.id as string;
}
