/**
 * A small browser-less user agent for end-to-end tests: it keeps cookies per
 * host, follows redirects, fills in and submits HTML forms and follows links,
 * all over real HTTP with `fetch`. HTML is read with a few regular
 * expressions, enough for server-rendered pages like the sandbox's and the
 * broker's; it runs no scripts.
 *
 *   const ua = new UserAgent();
 *   let page = await ua.get(`${sandbox.url}/in/hallpass-sandbox`);
 *   page = await ua.click(page, 'Log in with Google');
 *   page = await ua.submit(page, { fields: { username: 'nandu.perez', password: 'hallpass' } });
 *   page = await ua.submit(page, { form: 'launch', stopAt: (url) => url.port === '8080' });
 *   // page.url is the app's callback with ?code=…, not requested; page.stopped is true
 */

/** What a navigation ended on. */
export interface Page {
  /** The final URL; with `stopAt`, the redirect target that was not requested. */
  url: string;
  /**
   * The final response's status. When `stopAt` stopped the navigation, the
   * status of the redirect that pointed at `url` (e.g. 302), with `stopped` set.
   */
  status: number;
  headers: Headers;
  /** The response body as text ('' when stopped). */
  body: string;
  /** Every URL that answered with a redirect on the way, in order (the first is the URL asked for). */
  redirects: string[];
  /** True when `stopAt` matched (or the redirect left http/https), so `url` was not requested. */
  stopped?: boolean;
}

export interface NavigationOptions {
  /** Called with each redirect target before it is requested; `true` stops there. */
  stopAt?: (url: URL) => boolean;
}

export interface SubmitOptions extends NavigationOptions {
  /** Which form: a substring of its `action`, or its `id`. Default: the page's only (or first) form. */
  form?: string;
  /** Values to set; hidden and pre-filled inputs keep their values unless overridden here. */
  fields?: Record<string, string>;
}

interface StoredCookie {
  value: string;
  /** ms epoch; undefined for a session cookie. */
  expiresAt: number | undefined;
}

const maxRedirects = 20;

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the HTML character references that appear in attribute values and link texts. */
export function decodeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return entities[ref.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out[m[1]!.toLowerCase()] = decodeHtml(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

interface ParsedForm {
  id: string | undefined;
  action: string;
  method: string;
  fields: [string, string][];
}

function parseForms(body: string): ParsedForm[] {
  return [...body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map((m) => {
    const attrs = attributes(m[1]!);
    const fields: [string, string][] = [];
    for (const input of m[2]!.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(input[1]!);
      const type = (a.type ?? 'text').toLowerCase();
      if (!a.name || ['submit', 'button', 'image', 'reset', 'file'].includes(type)) continue;
      if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue;
      fields.push([a.name, a.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
    }
    for (const area of m[2]!.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const a = attributes(area[1]!);
      if (a.name) fields.push([a.name, decodeHtml(area[2]!)]);
    }
    return { id: attrs.id, action: attrs.action ?? '', method: (attrs.method ?? 'get').toUpperCase(), fields };
  });
}

export class UserAgent {
  /** host (with port) → cookie name → cookie. */
  private readonly jar = new Map<string, Map<string, StoredCookie>>();

  /** GET a URL, following redirects. */
  async get(url: string, options: NavigationOptions = {}): Promise<Page> {
    return this.navigate(new URL(url), { method: 'GET' }, options);
  }

  /** Fill in a form of `page` and submit it as a browser would (GET query or urlencoded POST), following redirects. */
  async submit(page: Page, options: SubmitOptions = {}): Promise<Page> {
    const forms = parseForms(page.body);
    const form = options.form
      ? forms.find((f) => f.id === options.form || f.action.includes(options.form!))
      : forms[0];
    if (!form) throw new Error(`no form${options.form ? ` matching "${options.form}"` : ''} on ${page.url}`);
    const values = new URLSearchParams();
    const overrides = new Map(Object.entries(options.fields ?? {}));
    for (const [name, value] of form.fields) {
      values.append(name, overrides.has(name) ? overrides.get(name)! : value);
      overrides.delete(name);
    }
    for (const [name, value] of overrides) values.append(name, value);
    const action = new URL(form.action || page.url, page.url);
    if (form.method === 'POST') {
      return this.navigate(action, {
        method: 'POST',
        body: values.toString(),
        contentType: 'application/x-www-form-urlencoded',
      }, options);
    }
    action.search = values.toString();
    return this.navigate(action, { method: 'GET' }, options);
  }

  /** Follow the first `<a href>` whose text contains `linkTextOrHref`, or whose href does. */
  async click(page: Page, linkTextOrHref: string, options: NavigationOptions = {}): Promise<Page> {
    for (const m of page.body.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)) {
      const href = attributes(m[1]!).href;
      if (href === undefined) continue;
      const text = decodeHtml(m[2]!.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
      if (text.includes(linkTextOrHref) || href.includes(linkTextOrHref)) {
        return this.get(new URL(href, page.url).href, options);
      }
    }
    throw new Error(`no link matching "${linkTextOrHref}" on ${page.url}`);
  }

  /** A cookie's current value for a URL's host, if set and not expired. */
  cookie(url: string, name: string): string | undefined {
    return this.cookiesFor(new URL(url)).get(name);
  }

  private cookiesFor(url: URL): Map<string, string> {
    const out = new Map<string, string>();
    const now = Date.now();
    for (const [name, cookie] of this.jar.get(url.host) ?? []) {
      if (cookie.expiresAt === undefined || cookie.expiresAt > now) out.set(name, cookie.value);
    }
    return out;
  }

  private storeCookies(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let expiresAt: number | undefined;
      for (const attr of attrs) {
        const [key = '', val = ''] = attr.split('=').map((s) => s.trim());
        if (key.toLowerCase() === 'max-age') expiresAt = Date.now() + Number(val) * 1000;
        else if (key.toLowerCase() === 'expires' && expiresAt === undefined) expiresAt = Date.parse(val);
      }
      const cookies = this.jar.get(url.host) ?? new Map<string, StoredCookie>();
      this.jar.set(url.host, cookies);
      if (expiresAt !== undefined && expiresAt <= Date.now()) cookies.delete(name);
      else cookies.set(name, { value, expiresAt });
    }
  }

  private async navigate(
    start: URL,
    first: { method: string; body?: string; contentType?: string },
    { stopAt }: NavigationOptions,
  ): Promise<Page> {
    const redirects: string[] = [];
    let url = start;
    let request = first;
    for (;;) {
      const headers = new Headers();
      if (request.contentType) headers.set('content-type', request.contentType);
      const cookies = [...this.cookiesFor(url)].map(([k, v]) => `${k}=${v}`).join('; ');
      if (cookies) headers.set('cookie', cookies);
      const response = await fetch(url, { method: request.method, headers, body: request.body ?? null, redirect: 'manual' });
      this.storeCookies(url, response.headers);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url: url.href, status: response.status, headers: response.headers, body: await response.text(), redirects };
      }
      await response.body?.cancel();
      redirects.push(url.href);
      if (redirects.length > maxRedirects) throw new Error(`more than ${maxRedirects} redirects from ${start.href}`);
      const next = new URL(location, url);
      if ((next.protocol !== 'http:' && next.protocol !== 'https:') || stopAt?.(next)) {
        return { url: next.href, status: response.status, headers: response.headers, body: '', redirects, stopped: true };
      }
      url = next;
      // 307/308 repeat the request as it was; the other redirects become a GET, as in browsers.
      if (response.status !== 307 && response.status !== 308) request = { method: 'GET' };
    }
  }
}
