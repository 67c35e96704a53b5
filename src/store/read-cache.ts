import type { ApiKey, ApplicationSettings, DomainPolicy, RedirectUri, Store } from './types.ts';

/** How long an instance trusts its copy; another instance's change shows within this time. */
export const READ_CACHE_TTL_MS = 5_000;

/**
 * What every login reads but admins change rarely — the application
 * settings, the redirect-URI allow-list, API keys and organizations' domain
 * policies — is kept by each instance for a few seconds. The instance's own writes drop its copies at
 * once; another instance's writes are seen within {@link READ_CACHE_TTL_MS}
 * (so an API key revoked on one instance stops working on the others within
 * 5 s). Connections and organizations as the management API reads them are
 * not cached: a read after a write must see the write whichever instance
 * answers.
 */
export function withReadCache(store: Store, ttlMs = READ_CACHE_TTL_MS, now: () => number = Date.now): Store {
  const settings = new Memo<ApplicationSettings>(ttlMs, now);
  const redirectUris = new Memo<RedirectUri[]>(ttlMs, now);
  const apiKeys = new Memo<ApiKey | undefined>(ttlMs, now);
  const domainPolicies = new Memo<DomainPolicy | undefined>(ttlMs, now);
  const forgetApplication = () => {
    settings.clear();
    redirectUris.clear();
  };
  return {
    ...store,
    settings: {
      get: (options) => {
        if (options?.fresh) settings.clear();
        return settings.get('', () => store.settings.get());
      },
      update: (patch) => afterWrite(store.settings.update(patch), forgetApplication),
      claimFirstCleverApp: (clientId) => afterWrite(store.settings.claimFirstCleverApp(clientId), forgetApplication),
    },
    redirectUris: {
      list: () => redirectUris.get('', () => store.redirectUris.list()),
      add: (uri, isDefault) => afterWrite(store.redirectUris.add(uri, isDefault), forgetApplication),
      remove: (uri) => afterWrite(store.redirectUris.remove(uri), forgetApplication),
    },
    organizations: {
      ...store.organizations,
      domainPolicy: (id) => domainPolicies.get(id, () => store.organizations.domainPolicy(id)),
      update: (id, patch) => afterWrite(store.organizations.update(id, patch), () => domainPolicies.clear()),
      destroy: (id) => afterWrite(store.organizations.destroy(id), () => domainPolicies.clear()),
    },
    // What a transaction wrote bypassed the copies above.
    transaction: (work) => afterWrite(store.transaction(work), () => domainPolicies.clear()),
    apiKeys: {
      ...store.apiKeys,
      findByHash: (hash) => apiKeys.get(hash, () => store.apiKeys.findByHash(hash)),
      revoke: (id) => afterWrite(store.apiKeys.revoke(id), () => apiKeys.clear()),
    },
  };
}

/** Runs `forget` once the write settled, whatever its outcome. */
async function afterWrite<T>(write: Promise<T>, forget: () => void): Promise<T> {
  try {
    return await write;
  } finally {
    forget();
  }
}

/**
 * Promises by key, each kept for `ttlMs`. A failed read is not kept, and
 * neither is a miss: nothing to gain from remembering that a random API key
 * does not exist, and a record created elsewhere is found at once.
 */
class Memo<T> {
  readonly #entries = new Map<string, { value: Promise<T>; loadedAt: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(ttlMs: number, now: () => number) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry && this.#now() - entry.loadedAt < this.#ttlMs) return entry.value;
    const value = load();
    this.#entries.set(key, { value, loadedAt: this.#now() });
    const forget = () => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    };
    value.then((found) => found === undefined && forget(), forget);
    // Expired entries of keys never asked for again are dropped as the map grows.
    if (this.#entries.size > 1000) this.#sweep();
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }

  #sweep(): void {
    for (const [key, entry] of this.#entries) if (this.#now() - entry.loadedAt >= this.#ttlMs) this.#entries.delete(key);
  }
}
