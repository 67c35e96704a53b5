/**
 * An in-memory map whose entries vanish a fixed time after they are set.
 * Every entry of one map lives equally long, so insertion order is expiry
 * order: each write drops the expired entries at the front and stops at the
 * first live one. Memory stays bounded by what is live, no write scans the
 * whole map, and no timers keep the process alive.
 *
 * With `maxEntries`, a write to a full map also drops the oldest live entry,
 * which bounds the map however fast entries are written.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
    private readonly maxEntries = Infinity,
  ) {}

  set(key: string, value: V): void {
    const now = this.now();
    this.dropExpired(now);
    // Re-setting a key moves it to the back, where its new deadline belongs.
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
  }

  /** Entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Returns the live value and removes it in one step: the way single-use things are redeemed. */
  take(key: string): V | undefined {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private dropExpired(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.entries.delete(key);
    }
  }
}
