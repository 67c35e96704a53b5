import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { UserAgent } from '../support/user-agent.ts';
import { atApp, fullApp, ids, redeemCode, signIn, startTestSandbox } from './helpers.ts';

const { url: base } = await startTestSandbox();

async function loginAs(role: 'teacher' | 'district_admin') {
  const ua = new UserAgent();
  const start = await ua.get(`${base}/oauth/authorize?response_type=code&client_id=full-app&district_id=${ids.rio}`);
  const picker = await signIn(ua, start, 'marisol', 'pw-marisol');
  assert.match(picker.url, /\/oauth\/select-role\?/);
  assert.match(picker.body, /You have more than one role/);
  assert.match(picker.body, /id="role-teacher"/);
  assert.match(picker.body, /id="role-district_admin"/);
  const done = await ua.submit(picker, { form: `role-${role}`, stopAt: atApp });
  const code = new URL(done.url).searchParams.get('code')!;
  const tokens = (await (await redeemCode(base, code, fullApp.primary)).json()) as { id_token: string; access_token: string };
  return { ua, claims: decodeJwt(tokens.id_token), accessToken: tokens.access_token };
}

describe('users with several roles', () => {
  test('pick a role after signing in; user_type and user_id follow the pick', async () => {
    const teacher = await loginAs('teacher');
    assert.equal(teacher.claims.user_type, 'teacher');
    assert.equal(teacher.claims.user_id, ids.marisolTeacher);
    const admin = await loginAs('district_admin');
    // Clever's current spelling (the legacy shape's district_admin is tested in claim-shapes.test.ts).
    assert.equal(admin.claims.user_type, 'district admin');
    assert.equal(admin.claims.user_id, ids.marisolDistrictAdmin);
    for (const { claims } of [teacher, admin]) {
      assert.equal(claims.sub, ids.marisol);
      assert.equal(claims.multi_role_user_id, ids.marisol);
    }
  });

  test('/v3.0/me names the person, and /users lists both roles', async () => {
    const { accessToken } = await loginAs('teacher');
    const headers = { authorization: `Bearer ${accessToken}` };
    const me = (await (await fetch(`${base}/v3.0/me`, { headers })).json()) as { data: { id: string } };
    assert.equal(me.data.id, ids.marisol);
    const user = (await (await fetch(`${base}/v3.0/users/${ids.marisol}`, { headers })).json()) as { data: { roles: Record<string, { legacy_id: string }> } };
    assert.equal(user.data.roles.teacher!.legacy_id, ids.marisolTeacher);
    assert.equal(user.data.roles.district_admin!.legacy_id, ids.marisolDistrictAdmin);
  });

  test('the pick lasts for the session; the portal offers to switch', async () => {
    const { ua } = await loginAs('teacher');
    const again = await ua.get(`${base}/oauth/instant-login?client_id=full-app&district_id=${ids.rio}`, { stopAt: atApp });
    assert.equal(again.stopped, true);
    const portal = await ua.get(`${base}/in/rio`);
    assert.match(portal.body, /id="portal-role">Teacher</);
    const picker = await ua.click(portal, 'Switch role');
    const switched = await ua.submit(picker, { form: 'role-district_admin' });
    assert.equal(switched.url, `${base}/in/rio`);
    assert.match(switched.body, /id="portal-role">District admin</);
  });

  test('a role the user does not hold is refused', async () => {
    const ua = new UserAgent();
    const start = await ua.get(`${base}/oauth/authorize?response_type=code&client_id=full-app&district_id=${ids.rio}`);
    const picker = await signIn(ua, start, 'marisol', 'pw-marisol');
    const refused = await ua.submit(picker, { form: 'role-teacher', fields: { role: 'student' } });
    assert.equal(refused.status, 400);
  });

  test('a portal visit before picking leads to the picker', async () => {
    const ua = new UserAgent();
    const login = await ua.get(`${base}/in/rio`);
    const picker = await signIn(ua, login, 'marisol', 'pw-marisol');
    assert.match(picker.url, /\/oauth\/select-role\?/);
    const portalFirst = await ua.get(`${base}/in/rio`);
    assert.match(portalFirst.url, /\/oauth\/select-role\?/);
    const portal = await ua.submit(picker, { form: 'role-teacher' });
    assert.equal(portal.url, `${base}/in/rio`);
  });
});
