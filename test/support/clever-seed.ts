/**
 * A sandbox seed for broker tests: the shipped seed plus a second district
 * (served by its own organization), a third that no organization serves, a
 * Clever app whose primary redirect URI is the broker's Clever callback, one
 * such app without OIDC and one that supports students only.
 */
import { defaultSeed, type ClaimShape, type SandboxSeed } from '../../src/sandbox/clever/index.ts';

export const SANDBOX_DISTRICT = '53ee4b8a44abc88c1c00119b';
export const SECOND_DISTRICT = '5a1f0e6b9c3d2e4f60718293';
export const UNSERVED_DISTRICT = '6b2e1f7c0d4e3f5071829304';

export const HALLPASS_APP = { clientId: 'broker-test-app', clientSecret: 'broker-test-secret' };
export const NO_OIDC_APP = { clientId: 'broker-test-no-oidc', clientSecret: 'broker-test-no-oidc-secret' };
export const STUDENTS_ONLY_APP = { clientId: 'broker-test-students', clientSecret: 'broker-test-students-secret' };

/**
 * `claims` picks the sandbox's claim shape (`current`: Clever's documentation
 * today; `legacy`: seed 001's `district_id`). It defaults to `legacy` only
 * until the broker reads both shapes (issue 8); then the default should go.
 */
export function brokerTestSeed(cleverCallback: string, options: { claims?: ClaimShape } = {}): SandboxSeed {
  const seed = structuredClone(defaultSeed) as SandboxSeed;
  seed.claims = options.claims ?? 'legacy';
  const app = (clientId: string, clientSecret: string, over: Partial<SandboxSeed['apps'][number]>) => ({
    client_id: clientId,
    client_secret: clientSecret,
    name: clientId,
    website: 'https://app.example/',
    redirect_uris: [cleverCallback],
    user_types: ['student', 'teacher', 'school_admin', 'district_admin'] as SandboxSeed['apps'][number]['user_types'],
    oidc: true,
    production: false,
    districts: [SANDBOX_DISTRICT, SECOND_DISTRICT, UNSERVED_DISTRICT],
    scope: 'read:user_id',
    ...over,
  });
  seed.districts.push(
    { id: SECOND_DISTRICT, name: 'Río Grande Unified', slug: 'rio-grande', login_method: 'clever_passwords', sandbox: false, schools: [{ id: '5a1f0e6b9c3d2e4f60718294', name: 'Lincoln Elementary' }] },
    { id: UNSERVED_DISTRICT, name: 'Unserved District', slug: 'unserved', login_method: 'active_directory', sandbox: true, schools: [{ id: '6b2e1f7c0d4e3f5071829305', name: 'Nowhere High' }] },
  );
  seed.users.push(
    { id: '5a1f0e6b9c3d2e4f607182a1', district: SECOND_DISTRICT, name: { first: 'Begoña', last: 'Ibáñez' }, email: 'begona@rio.example', username: 'begona', password: 'hallpass', roles: { teacher: { school: '5a1f0e6b9c3d2e4f60718294' } } },
    { id: '6b2e1f7c0d4e3f50718293a1', district: UNSERVED_DISTRICT, name: { first: 'Uma', last: 'Unserved' }, email: 'uma@unserved.example', username: 'uma', password: 'hallpass', roles: { student: { school: '6b2e1f7c0d4e3f5071829305' } } },
  );
  seed.apps.push(
    app(HALLPASS_APP.clientId, HALLPASS_APP.clientSecret, {}),
    app(NO_OIDC_APP.clientId, NO_OIDC_APP.clientSecret, { oidc: false }),
    app(STUDENTS_ONLY_APP.clientId, STUDENTS_ONLY_APP.clientSecret, { user_types: ['student'] }),
  );
  return seed;
}
