import assert from 'node:assert/strict';
import { it } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';

it('trusts no proxy, keeps logins 30 days and limits by default', () => {
  const config = loadConfig({});
  assert.deepEqual(config.trustedProxies, []);
  assert.deepEqual(config.retention, { loginDays: 30, personalDataDays: 30 });
  assert.equal(config.idempotencyLeaseMs, 30_000);
  assert.equal(config.rateLimits.windowMs, 60_000);
  assert.ok(Object.values(config.rateLimits).every((limit) => limit > 0));
});

it('reads trusted proxies as addresses and CIDR ranges, and refuses anything else', () => {
  assert.deepEqual(loadConfig({ HALLPASS_TRUSTED_PROXIES: ' 10.0.0.0/8, 127.0.0.1 ,::1, fd00::/8' }).trustedProxies, ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']);
  for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/1', '::1/129']) {
    assert.throws(() => loadConfig({ HALLPASS_TRUSTED_PROXIES: bad }), new RegExp(`HALLPASS_TRUSTED_PROXIES: "${bad.replaceAll('.', '\\.').replaceAll('/', '\\/')}"`));
  }
});

it('keeps personal data at most as long as the attempts', () => {
  assert.deepEqual(loadConfig({ HALLPASS_LOGIN_RETENTION_DAYS: '90', HALLPASS_LOGIN_PERSONAL_DATA_DAYS: '7' }).retention, { loginDays: 90, personalDataDays: 7 });
  assert.deepEqual(loadConfig({ HALLPASS_LOGIN_RETENTION_DAYS: '14' }).retention, { loginDays: 14, personalDataDays: 14 });
  assert.throws(() => loadConfig({ HALLPASS_LOGIN_RETENTION_DAYS: '7', HALLPASS_LOGIN_PERSONAL_DATA_DAYS: '30' }), /must not exceed HALLPASS_LOGIN_RETENTION_DAYS/);
});
