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
