/**
 * The sandbox's ID-token signing keys. One RS256 key signs; keys it replaced
 * stay in the JWKS so tokens already issued still verify, as after a key
 * rotation at a real provider.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

export class SigningKeys {
  /** Newest first; the first key signs. */
  private keys: SigningKey[];

  private constructor(first: SigningKey) {
    this.keys = [first];
  }

  static async create(): Promise<SigningKeys> {
    return new SigningKeys(await createSigningKey());
  }

  /** Adds a new signing key with a new `kid`; older keys are kept for verification. */
  async rotate(): Promise<void> {
    this.keys = [await createSigningKey(), ...this.keys];
  }

  /** The public keys, newest first, as served at `/oauth/certs`. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  async sign(claims: JWTPayload): Promise<string> {
    const [current] = this.keys as [SigningKey];
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: current.kid, typ: 'JWT' }).sign(current.privateKey);
  }
}
