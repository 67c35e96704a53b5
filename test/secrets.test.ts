import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config/index.ts';
import { createSecretBox, hashSecret, resolveSecretKey } from '../src/secrets.ts';

test('a sealed secret opens with the same key only, and tampering is detected', () => {
  const box = createSecretBox('k'.repeat(40));
  const sealed = box.seal('client-secret-ñ');
  assert.doesNotMatch(sealed, /client-secret/);
  assert.notEqual(box.seal('client-secret-ñ'), sealed, 'a fresh IV each time');
  assert.equal(box.open(sealed), 'client-secret-ñ');
  assert.throws(() => createSecretBox('x'.repeat(40)).open(sealed), { code: 'server_error', detail: /HALLPASS_SECRET_KEY differs/ });
  const [v, iv, body, tag] = sealed.split('.');
  const bytes = Buffer.from(body!, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  assert.throws(() => box.open(`${v}.${iv}.${bytes.toString('base64url')}.${tag}`), { code: 'server_error' });
});

test('request fingerprints are keyed: the same body gives another fingerprint under another key', () => {
  const body = JSON.stringify({ client_secret: 'short' });
  assert.equal(createSecretBox('a'.repeat(40)).fingerprint(body), createSecretBox('a'.repeat(40)).fingerprint(body));
  assert.notEqual(createSecretBox('a'.repeat(40)).fingerprint(body), createSecretBox('b'.repeat(40)).fingerprint(body));
  assert.notEqual(createSecretBox('a'.repeat(40)).fingerprint(body), hashSecret(body));
});

test('in development a secret key is generated once into the data folder, readable by its owner only', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'hallpass-key-'));
  try {
    const config = loadConfig({ HALLPASS_DATA_DIR: dataDir, NODE_ENV: 'development' });
    const first = await resolveSecretKey(config);
    assert.ok(first.length >= 32);
    assert.equal(await resolveSecretKey(config), first, 'the same key on the next start');
    assert.equal((await readFile(join(dataDir, 'secret-key'), 'utf8')).trim(), first);
    assert.equal((await stat(join(dataDir, 'secret-key'))).mode & 0o777, 0o600);
    const configured = loadConfig({ HALLPASS_DATA_DIR: dataDir, HALLPASS_SECRET_KEY: 'c'.repeat(40) });
    assert.equal(await resolveSecretKey(configured), 'c'.repeat(40), 'HALLPASS_SECRET_KEY wins');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('production refuses to start without a secret key or with a plain-http public URL', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production', HALLPASS_PUBLIC_URL: 'https://sso.example' }), /HALLPASS_SECRET_KEY is required/);
  assert.throws(() => loadConfig({ NODE_ENV: 'production', HALLPASS_SECRET_KEY: 'c'.repeat(40), HALLPASS_PUBLIC_URL: 'http://sso.example' }), /must be https/);
  assert.throws(() => loadConfig({ HALLPASS_SECRET_KEY: 'short' }), /HALLPASS_SECRET_KEY: must be at least 32 characters/);
});
