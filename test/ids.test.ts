import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId } from '../src/ids.ts';

describe('newId', () => {
  it('makes a prefixed 26-character Crockford base32 ULID', () => {
    assert.match(newId('org'), /^org_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('sorts in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => newId('conn'));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('encodes the creation time in its first ten characters', () => {
    const before = Date.now();
    const id = newId('org');
    const after = Date.now();
    const time = [...id.slice('org_'.length, 'org_'.length + 10)].reduce((t, c) => t * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c), 0);
    assert.ok(time >= before && time <= after + 1, `${time} within [${before}, ${after}]`);
  });
});
