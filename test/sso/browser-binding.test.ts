import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { bindBrowser, browserBindingHash } from '../../src/sso/browser-binding.ts';

async function appWith(secure: boolean) {
  const app = Fastify();
  await app.register(cookie);
  app.get('/start', async (request, reply) => ({ hash: bindBrowser(request, reply, secure) }));
  app.get('/check', async (request) => ({ hash: browserBindingHash(request, secure) ?? null }));
  return app;
}

test('the binding cookie keeps its value across login starts but is renewed each time', async () => {
  const app = await appWith(false);
  const first = await app.inject('/start');
  const set = first.cookies.find((c) => c.name === 'hallpass_login')!;
  assert.equal(set.httpOnly, true);
  assert.equal(set.sameSite, 'Lax');
  assert.equal(set.maxAge, 900);
  const again = await app.inject({ url: '/start', cookies: { hallpass_login: set.value } });
  const renewed = again.cookies.find((c) => c.name === 'hallpass_login');
  assert.equal(renewed?.value, set.value, 'same value, so a login in another tab still matches');
  assert.equal(again.json().hash, first.json().hash);
  assert.equal((await app.inject({ url: '/check', cookies: { hallpass_login: set.value } })).json().hash, first.json().hash);
});

test('over https the cookie is __Host- prefixed and Secure, and an unprefixed value is ignored', async () => {
  const app = await appWith(true);
  const first = await app.inject('/start');
  const set = first.cookies.find((c) => c.name === '__Host-hallpass_login')!;
  assert.equal(set.secure, true);
  assert.equal(set.path, '/');
  assert.equal((await app.inject({ url: '/check', cookies: { hallpass_login: set.value } })).json().hash, null);
  assert.equal((await app.inject({ url: '/check', cookies: { '__Host-hallpass_login': set.value } })).json().hash, first.json().hash);
});
