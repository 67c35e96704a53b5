/**
 * Several Clever apps in one deployment (a vendor with one Clever app per
 * product), end to end with the unmodified WorkOS SDK: three apps, each
 * serving its own districts through one organization per district. Every
 * kind of user (student, teacher, school staff, district admin, a multi-role
 * user picking each role) signs in by every door — Clever Portal, Instant
 * Login, Log in with Clever with the district (`organization`) and without it
 * (`provider=CleverOIDC` naming its app, school picker) — with the three
 * apps' logins interleaved, in both of Clever's claim shapes, on SQLite and
 * PostgreSQL. Portal and Instant Login launches arrive with a code and
 * nothing else: only each app's own Redirect URI tells Hallpass which app
 * sent them.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startCleverSandbox, type RunningCleverSandbox } from '../../src/sandbox/clever/index.ts';
import { APP_CALLBACK, appResult, createOrgWithConnection, signInAtClever, stopAtApp, workosFor } from '../support/broker-kit.ts';
import { SEVERAL_APPS, severalAppsSeed, type FixtureApp, type FixtureDistrict, type FixtureUser } from '../support/clever-seed.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';
import { startHallpass, type RunningHallpass } from '../support/hallpass.ts';
import type { Page } from '../support/user-agent.ts';
import { UserAgent } from '../support/user-agent.ts';

type Door = 'portal' | 'instant-login' | 'organization' | 'provider';
const DOORS: Door[] = ['portal', 'instant-login', 'organization', 'provider'];

/** Each kind of user, the role a multi-role user picks, and the profile's group. */
const PEOPLE: { kind: keyof FixtureDistrict['users']; role?: string; group: string }[] = [
  { kind: 'student', group: 'student' },
  { kind: 'teacher', group: 'teacher' },
  { kind: 'staff', group: 'school_admin' },
  { kind: 'districtAdmin', group: 'district_admin' },
  { kind: 'multiRole', role: 'teacher', group: 'teacher' },
  { kind: 'multiRole', role: 'school_admin', group: 'school_admin' },
];

for (const claims of ['current', 'legacy'] as const) {
  forEachDatabase(`three Clever apps in one deployment (${claims} claims)`, (database) => {
    let db: OpenTestDatabase;
    let hallpass: RunningHallpass;
    let sandbox: RunningCleverSandbox;
    /** District ID → its organization and connection. */
    const served = new Map<string, { organizationId: string; connection: any }>();

    before(async () => {
      db = await database.open();
      hallpass = await startHallpass({ databaseUrl: db.databaseUrl, redirectUris: [APP_CALLBACK] });
      // Each app's own callback first (where launches land), then the short one the first app (alpha) uses.
      const seed = severalAppsSeed((app) => [`${hallpass.url}/sso/clever/callback/${app.clientId}`, `${hallpass.url}/sso/clever/callback`], { claims });
      sandbox = await startCleverSandbox({ port: 0, seed, logger: false });
      for (const app of SEVERAL_APPS) {
        for (const district of app.districts) {
          served.set(district.id, await createOrgWithConnection(hallpass, { name: district.name }, {
            connection_type: 'CleverOIDC',
            client_id: app.clientId,
            client_secret: app.clientSecret,
            discovery_endpoint: `${sandbox.url}/.well-known/openid-configuration`,
            district_id: district.id,
          }));
        }
      }
    });
    after(async () => {
      await sandbox?.close();
      await hallpass?.close();
      await db?.cleanup();
    });

    /** Walks one door for one person until the app receives a code or an error. */
    async function signIn(door: Door, app: FixtureApp, district: FixtureDistrict, user: FixtureUser, role: string | undefined): Promise<Page> {
      const ua = new UserAgent();
      const options = { role, stopAt: stopAtApp };
      switch (door) {
        case 'portal': {
          const portal = await signInAtClever(ua, await ua.get(`${sandbox.url}/in/${district.slug}`), user.username, options);
          return ua.submit(portal, { form: `launch-${app.clientId}`, stopAt: stopAtApp });
        }
        case 'instant-login': {
          const start = await ua.get(`${sandbox.url}/oauth/instant-login?client_id=${app.clientId}&district_id=${district.id}`, { stopAt: stopAtApp });
          return signInAtClever(ua, start, user.username, options);
        }
        case 'organization': {
          const url = workosFor(hallpass).sso.getAuthorizationUrl({ organization: served.get(district.id)!.organizationId, clientId: hallpass.clientId, redirectUri: APP_CALLBACK, state: 'org' });
          return signInAtClever(ua, await ua.get(url, { stopAt: stopAtApp }), user.username, options);
        }
        case 'provider': {
          const url = workosFor(hallpass).sso.getAuthorizationUrl({
            provider: 'CleverOIDC' as never,
            providerQueryParams: { client_id: app.clientId },
            clientId: hallpass.clientId,
            redirectUri: APP_CALLBACK,
            state: 'provider',
          });
          const picker = await ua.get(url, { stopAt: stopAtApp });
          const results = await ua.submit(picker, { form: 'school-search', fields: { q: district.name } });
          const login = await ua.click(results, `${district.name} School`, { stopAt: stopAtApp });
          return signInAtClever(ua, login, user.username, options);
        }
      }
    }

    it('gives each Clever app its own Redirect URI, shown on each of its connections; the first app keeps the short one', () => {
      for (const app of SEVERAL_APPS) {
        const own = app === SEVERAL_APPS[0] ? `${hallpass.url}/sso/clever/callback` : `${hallpass.url}/sso/clever/callback/${app.clientId}`;
        for (const district of app.districts) assert.equal(served.get(district.id)!.connection.redirect_uri, own);
      }
    });

    for (const door of DOORS) {
      it(`${door}: every kind of user of the three apps, interleaved, lands in their district's organization`, async () => {
        const logins = SEVERAL_APPS.flatMap((app) =>
          app.districts.flatMap((district) =>
            PEOPLE.map(async ({ kind, role, group }) => {
              const user = district.users[kind];
              const page = await signIn(door, app, district, user, role);
              const result = appResult(page);
              assert.ok(result.code, `${door} ${app.key} ${user.username}: ${result.error} ${result.errorDescription}`);
              if (door === 'portal' || door === 'instant-login') {
                assert.ok(page.redirects.some((u) => new URL(u).pathname === `/sso/clever/callback/${app.clientId}`), 'the launch arrived at its app’s Redirect URI');
              }
              const { profile } = await workosFor(hallpass).sso.getProfileAndToken({ code: result.code, clientId: hallpass.clientId });
              assert.equal(profile.organizationId, served.get(district.id)!.organizationId, `${door} ${user.username}`);
              assert.equal(profile.idpId, user.id);
              assert.deepEqual(profile.groups, [group]);
              assert.equal(profile.lastName, user.name.last);
              assert.equal(profile.rawAttributes?.[claims === 'current' ? 'district' : 'district_id'], district.id);
            }),
          ),
        );
        await Promise.all(logins);
      });
    }
  });
}
