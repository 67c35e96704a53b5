/**
 * An in-memory map whose entries vanish at a deadline. Expired entries are
 * never returned and are swept lazily, on writes, so a long-running sandbox
 * does not grow without bound and no timers keep the process alive.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private writesSinceSweep = 0;

  constructor(private readonly now: () => number) {}

  set(key: string, value: V, ttlMs: number): void {
    if (++this.writesSinceSweep >= 100) this.sweep();
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
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

  private sweep(): void {
    this.writesSinceSweep = 0;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
