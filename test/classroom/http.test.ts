/**
 * Classroom over plain HTTP (no browser): its security headers and friendly
 * error pages, the refusals (forged state, missing CSRF token), and a Clever
 * app without OIDC, whose Data API profile gives Classroom the school.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAtClever } from '../support/broker-kit.ts';
import { UserAgent } from '../support/user-agent.ts';
import { startClassroomStack, type ClassroomStack } from './classroom-stack.ts';

const textOf = (body: string, id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(body)?.[1];

describe('Classroom over HTTP', () => {
  let stack: ClassroomStack;
  before(async () => {
    stack = await startClassroomStack({ cleverOidc: false });
  });
  after(() => stack?.close());

  it('serves every page with a strict CSP, no referrer and no caching', async () => {
    for (const path of ['/login', '/signed-out', '/no-such-page']) {
      const response = await fetch(`${stack.classroom.url}${path}`);
      assert.equal(response.headers.get('content-security-policy'), "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'", path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.match(response.headers.get('content-type')!, /^text\/html; charset=utf-8/);
    }
    const missing = await fetch(`${stack.classroom.url}/no-such-page`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Page not found/);
  });

  it('refuses a callback with a state this browser did not start, with a reference', async () => {
    const response = await fetch(`${stack.classroom.url}/callback?code=abc&state=forged`);
    assert.equal(response.status, 400);
    const body = await response.text();
    assert.equal(textOf(body, 'error-code'), 'state_mismatch');
    assert.match(textOf(body, 'error-reference')!, /^CLS-[0-9A-F]{8}$/);
  });

  it('shows Hallpass\'s error for a code that is unknown or already used', async () => {
    const body = await (await fetch(`${stack.classroom.url}/callback?code=not-a-real-code`)).text();
    assert.equal(textOf(body, 'error-code'), 'invalid_grant');
    assert.match(body, /already used or has expired/);
  });

  it('refuses a Log out or a form without its CSRF token, with a friendly page', async () => {
    for (const path of ['/logout', '/welcome']) {
      const response = await fetch(`${stack.classroom.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'preferred_name=x' });
      assert.equal(response.status, 403, path);
      assert.match(await response.text(), /This form expired/);
    }
  });

  it('a Clever app without OIDC: Instant Login signs in from the Data API profile, school included', async () => {
    const ua = new UserAgent();
    let page = await ua.get(stack.instantLoginUrl());
    page = await signInAtClever(ua, page, 'nandu.perez', { stopAt: () => false });
    assert.equal(new URL(page.url).pathname, '/welcome', page.body.slice(0, 300));
    page = await ua.submit(page, { form: '/welcome', fields: { preferred_name: 'Ñandú' } });
    assert.equal(new URL(page.url).pathname, '/');
    assert.equal(textOf(page.body, 'signed-in-type'), 'Student');
    assert.equal(textOf(page.body, 'fact-school'), 'dbb0520fee83cabb6190bb52');
    assert.equal(textOf(page.body, 'fact-district'), 'Springfield Sandbox Schools');
  });
});
