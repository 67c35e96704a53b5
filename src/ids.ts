import { randomBytes } from 'node:crypto';

/**
 * Record IDs: a readable prefix and a ULID (`org_01HV3K…`), the shape WorkOS uses.
 *
 * A ULID is 48 bits of milliseconds and 80 random bits in Crockford base32, so
 * IDs sort by creation time and the store can paginate on the ID alone. IDs are
 * public identifiers, not secrets: within one millisecond the random part is
 * incremented (the ULID spec's monotonic mode) to keep that order exact.
 */

const CROCKFORD_BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 16;
const RANDOM_LIMIT = 1n << 80n;

let lastTime = -1;
let lastRandom = 0n;

/** A new ID: `prefix_` followed by a 26-character ULID, e.g. `newId('org')` → `org_01HV3K8Q…`. */
export function newId(prefix: string): string {
  return `${prefix}_${ulid()}`;
}

/** A 26-character ULID, strictly increasing within this process. */
function ulid(): string {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    lastRandom = randomBits();
  } else {
    // Same millisecond, or the clock stepped back: stay ahead of the last ID.
    lastRandom += 1n;
    if (lastRandom >= RANDOM_LIMIT) {
      lastTime += 1;
      lastRandom = randomBits();
    }
  }
  return encodeBase32(BigInt(lastTime), TIME_LENGTH) + encodeBase32(lastRandom, RANDOM_LENGTH);
}

function randomBits(): bigint {
  return BigInt(`0x${randomBytes(10).toString('hex')}`);
}

function encodeBase32(value: bigint, length: number): string {
  let text = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    text = CROCKFORD_BASE32[Number(rest & 31n)] + text;
    rest >>= 5n;
  }
  return text;
}
