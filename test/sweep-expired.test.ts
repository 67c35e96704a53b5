import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHallpass } from './support/hallpass.ts';
import { startSweeping } from '../src/sweep-expired.ts';

test('the periodic sweep deletes expired codes and keeps live ones', async () => {
  let now = Date.now();
  const hallpass = await startHallpass({ now: () => now });
  try {
    const profile = { object: 'profile', id: 'prof_1' } as never;
    const code = (hash: string, expiresAt: number) =>
      hallpass.store.codes.save({ codeHash: hash, clientId: hallpass.clientId, redirectUri: 'http://app/cb', codeChallenge: null, profile, loginAttemptId: 'login_1', expiresAt: new Date(expiresAt) });
    await code('expired', now + 1_000);
    await code('live', now + 600_000);
    now += 5_000;
    const stop = startSweeping(hallpass.ctx, 10);
    await new Promise((r) => setTimeout(r, 100));
    stop();
    // The expired row is gone even for a clock that still considers it valid; the live one remains.
    assert.equal(await hallpass.store.codes.consume('expired', new Date(0)), undefined);
    assert.ok(await hallpass.store.codes.consume('live', new Date(now)));
  } finally {
    await hallpass.close();
  }
});

test('the periodic sweep keeps the login history within the configured retention', async () => {
  let now = Date.now();
  const hallpass = await startHallpass({ now: () => now, env: { HALLPASS_LOGIN_RETENTION_DAYS: '30', HALLPASS_LOGIN_PERSONAL_DATA_DAYS: '7' } });
  try {
    const attempt = { connectionId: 'conn_1', organizationId: 'org_1', initiatedBy: 'app', step: 'code_redeemed', outcome: 'succeeded', errorCode: null, errorDescription: null, upstreamError: null, districtId: 'd1', idpId: 'student-1', email: 'student@school.example' } as const;
    await hallpass.store.loginAttempts.create({ id: 'login_kept', ...attempt });
    const stop = startSweeping(hallpass.ctx, 10);
    try {
      const sweptBy = async (days: number) => {
        now = Date.now() + days * 86_400_000 + 1_000;
        await new Promise((r) => setTimeout(r, 100));
        return hallpass.store.loginAttempts.find('login_kept');
      };
      assert.equal((await sweptBy(6))?.email, 'student@school.example', 'six days on: untouched');
      const blanked = await sweptBy(7);
      assert.deepEqual([blanked?.idpId, blanked?.email, blanked?.districtId], [null, null, 'd1'], 'a week on: who signed in is blanked');
      assert.equal(await sweptBy(30), undefined, 'thirty days on: gone');
    } finally {
      stop();
    }
  } finally {
    await hallpass.close();
  }
});
