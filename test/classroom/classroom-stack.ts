/**
 * The whole stack Classroom's tests sign in through: a real Hallpass, the
 * Clever sandbox (the shipped seed) and Classroom itself on its own SQLite
 * file, all on ephemeral ports. Classroom talks to Hallpass only over HTTP
 * with its own `@workos-inc/node`; its clock can be moved forward to test
 * inactivity.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildClassroom } from '../../examples/classroom/src/app.ts';
import type { ClassroomConfig } from '../../examples/classroom/src/config.ts';
import { openDatabase, type Database } from '../../examples/classroom/src/database.ts';
import { defaultSeed, startCleverSandbox, type RunningCleverSandbox, type SandboxSeed } from '../../src/sandbox/clever/index.ts';
import { api, createOrgWithConnection } from '../support/broker-kit.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';

export const CLEVER_APP = defaultSeed.apps[0]!;
export const DISTRICT = defaultSeed.districts[0]!;
export const DISTRICT_NAME = 'Springfield Sandbox Schools';
export const IDLE_MINUTES = 20;
/** A second district, served by its own Hallpass organization through the same Clever app: Classroom serves many districts. */
export const SECOND_DISTRICT = { id: '5a1f0e6b9c3d2e4f60718293', name: 'Río Grande Unified', slug: 'rio-grande' };

export interface ClassroomStack {
  hallpass: RunningHallpass;
  sandbox: RunningCleverSandbox;
  classroom: { url: string; app: FastifyInstance; db: Database };
  /** The Clever connections of both districts. */
  connectionIds: string[];
  /** The Clever Portal of the sandbox district. */
  portalUrl: string;
  /** An Instant Login link (default: the sandbox district). */
  instantLoginUrl: (districtId?: string) => string;
  /** Moves Classroom's clock forward. */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

export interface StackOptions {
  /** false: a Clever app Clever has not configured for OIDC, so Hallpass reads the Data API (whose roles carry the school). */
  cleverOidc?: boolean;
}

export async function startClassroomStack(options: StackOptions = {}): Promise<ClassroomStack> {
  const hallpass = await startHallpass({ redirectUris: [] });
  // The Redirect URI to register at Clever comes from Hallpass's connection API (a draft needs no secret).
  const org = await api(hallpass, 'POST', '/organizations', { name: DISTRICT_NAME });
  const draft = await api(hallpass, 'POST', '/connections', {
    organization_id: org.body.id, connection_type: 'CleverOIDC', name: 'Clever', client_id: CLEVER_APP.client_id, district_id: DISTRICT.id,
  });
  if (draft.status !== 201) throw new Error(`draft connection: ${draft.status} ${JSON.stringify(draft.body)}`);

  const seed = structuredClone(defaultSeed) as SandboxSeed;
  seed.apps[0]!.redirect_uris = [draft.body.redirect_uri];
  seed.apps[0]!.oidc = options.cleverOidc ?? true;
  seed.apps[0]!.districts.push(SECOND_DISTRICT.id);
  seed.districts.push({ ...SECOND_DISTRICT, login_method: 'clever_passwords', sandbox: false, schools: [{ id: '5a1f0e6b9c3d2e4f60718294', name: 'Lincoln Elementary' }] });
  seed.users.push({
    id: '5a1f0e6b9c3d2e4f607182a1', district: SECOND_DISTRICT.id, name: { first: 'Begoña', last: 'Ibáñez' }, email: 'begona@rio.example',
    username: 'begona', password: 'hallpass', roles: { teacher: { school: '5a1f0e6b9c3d2e4f60718294' } },
  });
  const sandbox = await startCleverSandbox({ port: 0, seed, logger: false });
  const active = await api(hallpass, 'PUT', `/connections/${draft.body.id}`, {
    client_secret: CLEVER_APP.client_secret, discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
  });
  if (active.body.state !== 'active') throw new Error(`connection: ${JSON.stringify(active.body)}`);
  const second = await createOrgWithConnection(hallpass, { name: SECOND_DISTRICT.name }, {
    connection_type: 'CleverOIDC', client_id: CLEVER_APP.client_id, client_secret: CLEVER_APP.client_secret,
    discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`, district_id: SECOND_DISTRICT.id,
  });

  const dir = await mkdtemp(join(tmpdir(), 'classroom-test-'));
  let offset = 0;
  const config: ClassroomConfig = {
    hallpassUrl: new URL(hallpass.url),
    apiKey: hallpass.apiKey,
    clientId: hallpass.clientId,
    cleverClientId: CLEVER_APP.client_id,
    port: 0,
    host: '127.0.0.1',
    publicUrl: undefined,
    databaseFile: join(dir, 'classroom.sqlite'),
    idleTimeoutMinutes: IDLE_MINUTES,
  };
  const db = openDatabase(config.databaseFile);
  const app = await buildClassroom({ config, db, now: () => Date.now() + offset });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  config.publicUrl = url;
  // Logins that start at Clever land on the default redirect URI: Classroom's callback.
  await hallpass.store.redirectUris.add(`${url}/callback`, true);

  return {
    hallpass,
    sandbox,
    classroom: { url, app, db },
    connectionIds: [draft.body.id, second.connectionId],
    portalUrl: `${sandbox.url}/in/${DISTRICT.slug}`,
    instantLoginUrl: (districtId = DISTRICT.id) => `${sandbox.url}/oauth/instant-login?client_id=${CLEVER_APP.client_id}&district_id=${districtId}`,
    advanceClock: (ms) => {
      offset += ms;
    },
    async close() {
      await app.close();
      db.close();
      await sandbox.close();
      await hallpass.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
