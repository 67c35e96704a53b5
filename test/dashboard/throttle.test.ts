/** The throttling rule on its own, with a fake clock: slowed, then locked, per account and per address. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountKey, addressKey, throttleVerdict } from '../../src/dashboard/throttle.ts';

const limits = { account: { slowAfter: 3, lockAfter: 10 }, address: { slowAfter: 10, lockAfter: 50 }, lockMs: 15 * 60_000 };
const now = Date.parse('2026-01-01T12:00:00Z');
const counter = (key: string, failures: number, agoMs: number) => ({ key, failures, firstFailureAt: new Date(now - agoMs - 1000), lastFailureAt: new Date(now - agoMs) });

describe('sign-in throttling', () => {
  it('lets the first failures through at once', () => {
    assert.deepEqual(throttleVerdict(limits, [counter(accountKey('a@b.example'), 2, 0)], now), { allowed: true });
  });

  it('makes each try past slowAfter wait twice as long, at most a minute', () => {
    assert.deepEqual(throttleVerdict(limits, [counter(accountKey('a@b.example'), 3, 500)], now), { allowed: false, locked: false, retryAfterMs: 500 });
    assert.deepEqual(throttleVerdict(limits, [counter(accountKey('a@b.example'), 3, 1000)], now), { allowed: true });
    assert.deepEqual(throttleVerdict(limits, [counter(accountKey('a@b.example'), 5, 1000)], now), { allowed: false, locked: false, retryAfterMs: 3000 });
    assert.deepEqual(throttleVerdict(limits, [counter(accountKey('a@b.example'), 9, 0)], now), { allowed: false, locked: false, retryAfterMs: 60_000 });
  });

  it('locks an account for lockMs after lockAfter failures', () => {
    assert.deepEqual(throttleVerdict(limits, [counter(accountKey('a@b.example'), 10, 60_000)], now), { allowed: false, locked: true, retryAfterMs: 14 * 60_000 });
    assert.deepEqual(throttleVerdict(limits, [counter(accountKey('a@b.example'), 10, 15 * 60_000)], now), { allowed: true });
  });

  it('counts an address with its own, higher limits', () => {
    assert.deepEqual(throttleVerdict(limits, [counter(addressKey('192.0.2.1'), 9, 0)], now), { allowed: true });
    assert.equal(throttleVerdict(limits, [counter(addressKey('192.0.2.1'), 10, 0)], now).allowed, false);
    assert.deepEqual(throttleVerdict(limits, [counter(addressKey('192.0.2.1'), 50, 0), counter(accountKey('a@b.example'), 1, 0)], now), { allowed: false, locked: true, retryAfterMs: 15 * 60_000 });
  });
});
