import type { ApplicationSettings, RedirectUri, Store } from './types.ts';

/** How long an instance trusts its copy; another instance's change shows within this time. */
export const SETTINGS_CACHE_TTL_MS = 5_000;

/**
 * The application settings and the redirect-URI allow-list are read at every
 * step of every login but change a few times a year, so each instance keeps
 * them for a few seconds. Its own writes drop the copy at once; another
 * instance's writes are seen within {@link SETTINGS_CACHE_TTL_MS}.
 */
export function withSettingsCache(store: Store, ttlMs = SETTINGS_CACHE_TTL_MS, now: () => number = Date.now): Store {
  const settings = memo(() => store.settings.get(), ttlMs, now);
  const redirectUris = memo(() => store.redirectUris.list(), ttlMs, now);
  const forget = () => {
    settings.forget();
    redirectUris.forget();
  };
  return {
    ...store,
    settings: {
      get: settings.get,
      async update(patch) {
        forget();
        try {
          return await store.settings.update(patch);
        } finally {
          forget();
        }
      },
    },
    redirectUris: {
      list: redirectUris.get,
      async add(uri, isDefault) {
        try {
          return await store.redirectUris.add(uri, isDefault);
        } finally {
          forget();
        }
      },
      async remove(uri) {
        try {
          return await store.redirectUris.remove(uri);
        } finally {
          forget();
        }
      },
    },
  };
}

function memo<T extends ApplicationSettings | RedirectUri[]>(load: () => Promise<T>, ttlMs: number, now: () => number) {
  let value: Promise<T> | undefined;
  let loadedAt = 0;
  return {
    get(): Promise<T> {
      if (value === undefined || now() - loadedAt >= ttlMs) {
        loadedAt = now();
        const loading = load();
        // A failed read must not be remembered.
        loading.catch(() => {
          if (value === loading) value = undefined;
        });
        value = loading;
      }
      return value;
    },
    forget() {
      value = undefined;
    },
  };
}
