import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { createLogger } from '../src/log.ts';

test('request logs carry the path but never the query string (codes, states) or credentials', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const app = Fastify({ loggerInstance: createLogger('info', 'hallpass', sink) });
  app.get('/sso/clever/callback', async () => 'ok');
  await app.inject({ url: '/sso/clever/callback?code=SECRETCODE&state=STATEVALUE', headers: { authorization: 'Bearer sk_SECRET', cookie: 'hallpass_login=COOKIE' } });
  await app.close();
  const text = lines.join('');
  assert.match(text, /"path":"\/sso\/clever\/callback"/);
  for (const secret of ['SECRETCODE', 'STATEVALUE', 'sk_SECRET', 'COOKIE']) assert.equal(text.includes(secret), false, secret);
});

test('request logs name a route by its pattern, so tokens in paths (setup links, invitations) stay out', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const app = Fastify({ loggerInstance: createLogger('info', 'hallpass', sink) });
  app.get('/setup/:token', async () => 'ok');
  await app.inject({ url: '/setup/SETUPLINKTOKEN' });
  await app.close();
  const text = lines.join('');
  assert.match(text, /"path":"\/setup\/:token"/);
  assert.equal(text.includes('SETUPLINKTOKEN'), false);
});
