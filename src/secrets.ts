/**
 * Encryption of secrets at rest (IdP client secrets) and hashing of bearer
 * secrets (API keys, codes, access tokens).
 *
 * Client secrets are sealed with AES-256-GCM under a key derived (HKDF-SHA256)
 * from HALLPASS_SECRET_KEY, so the database alone never reveals them. Bearer
 * secrets are high-entropy random strings, so a plain SHA-256 is enough to
 * store them: nothing to brute-force.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HallpassError } from './errors.ts';
import type { Config } from './config/index.ts';

const VERSION = 'v1';

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
  /**
   * A keyed fingerprint (HMAC-SHA256) of a request body, for comparing retries.
   * Keyed, because a body may hold a low-entropy secret a plain hash would expose.
   */
  fingerprint(text: string): string;
}

/** Builds the box from the deployment's secret key. */
export function createSecretBox(secretKey: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', secretKey, 'hallpass', 'client-secret-encryption', 32));
  const fingerprintKey = Buffer.from(hkdfSync('sha256', secretKey, 'hallpass', 'request-fingerprint', 32));
  return {
    fingerprint(text) {
      return createHmac('sha256', fingerprintKey).update(text).digest('base64url');
    },
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || !iv || !body || !tag) {
        throw new HallpassError('server_error', 'stored secret is unreadable', { detail: 'unknown sealed-secret format' });
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new HallpassError('server_error', 'stored secret is unreadable', {
          detail: 'decryption failed: HALLPASS_SECRET_KEY differs from the key the secret was stored with',
          cause,
        });
      }
    },
  };
}

/**
 * The deployment's secret key: HALLPASS_SECRET_KEY, or in development a key
 * generated once into `<dataDir>/secret-key` (production refuses to start
 * without one; see config).
 */
export async function resolveSecretKey(config: Config): Promise<string> {
  if (config.secretKey) return config.secretKey;
  const file = join(config.dataDir, 'secret-key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(config.dataDir, { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  // `wx` so two instances starting together cannot overwrite each other's key.
  try {
    await writeFile(file, generated + '\n', { mode: 0o600, flag: 'wx' });
    return generated;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw err;
  }
}

/** SHA-256 (base64url) of a bearer secret, the only form in which it is stored. */
export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** A random bearer secret with a readable prefix, e.g. `sk_…`. */
export function newSecret(prefix: string, bytes = 32): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}
