/**
 * Just enough of a browser to log in at the test providers: a cookie jar for
 * one host and manual redirects that stop at the relying party's callback.
 * Deliberately tiny and private to these tests; the project's user agent is
 * test/support/user-agent.ts.
 */
export interface LoadedPage {
  url: string;
  status: number;
  body: string;
}

export class Browser {
  readonly #cookies = new Map<string, string>();

  /** GETs `url` and follows redirects until one points at `stopAt` (not fetched). */
  async follow(url: URL | string, stopAt: string): Promise<LoadedPage> {
    return this.#request(new URL(url), { method: 'GET' }, stopAt);
  }

  /** Posts `fields` to the action of the first form on `page`, then follows redirects. */
  async submitLogin(page: LoadedPage, fields: Record<string, string>, stopAt: string): Promise<LoadedPage> {
    const action = /<form[^>]*action="([^"]*)"/.exec(page.body)?.[1];
    if (action === undefined) throw new Error(`no form on ${page.url}`);
    const target = new URL(action.replaceAll('&#38;', '&'), page.url);
    return this.#request(
      target,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() },
      stopAt,
    );
  }

  async #request(url: URL, init: { method: string; headers?: Record<string, string>; body?: string }, stopAt: string): Promise<LoadedPage> {
    for (let hops = 0; hops < 10; hops++) {
      if (url.href.startsWith(stopAt)) return { url: url.href, status: 0, body: '' };
      const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const res = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...init.headers, ...(cookie ? { cookie } : {}) },
      });
      for (const setCookie of res.headers.getSetCookie()) {
        const [pair = ''] = setCookie.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        // An expired cookie is the server deleting it.
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(setCookie)) this.#cookies.delete(name);
        else this.#cookies.set(name, value);
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        url = new URL(location, url);
        init = { method: 'GET' };
        continue;
      }
      return { url: url.href, status: res.status, body: await res.text() };
    }
    throw new Error('too many redirects');
  }
}
