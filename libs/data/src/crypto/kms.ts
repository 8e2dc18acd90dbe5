import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM: 12-byte IV, 16-byte tag. A sealed box is iv | tag | ciphertext. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** GCM authentication failed: wrong key, wrong context, or tampered bytes. */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function open(key: Uint8Array, sealed: Uint8Array, aad: string, what: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptionError(`${what}: ciphertext too short`);
  const box = Buffer.from(sealed);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, box.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(box.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(box.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError(`${what}: authentication failed (wrong key, wrong context or tampered data)`);
  }
}

/** The root of the key hierarchy: wraps and unwraps workspace keys. A cloud KMS fits behind it. */
export interface Kms {
  /** Encrypts a key; `context` is bound to it (unwrap needs the same context). */
  wrap(plaintextKey: Uint8Array, context: string): Promise<Uint8Array>;
  unwrap(wrapped: Uint8Array, context: string): Promise<Uint8Array>;
}

function rootKeyOf(base64: string, name: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`the ${name} must be ${KEY_BYTES} bytes in base64 (got ${key.length})`);
  return key;
}

/**
 * A KMS whose root key is a 32-byte secret from configuration (base64): AES-256-GCM, context as AAD.
 * During a root key rotation it also holds the previous root keys: it wraps with the current one and
 * unwraps with whichever opens the box (see `CustomerKeyStore.rewrapWorkspaceKeys`).
 */
export class LocalKms implements Kms {
  private readonly rootKey: Buffer;
  private readonly previous: Buffer[];

  constructor(rootKeyBase64: string, previousRootKeysBase64: readonly string[] = []) {
    this.rootKey = rootKeyOf(rootKeyBase64, 'root key');
    this.previous = previousRootKeysBase64.map((key) => rootKeyOf(key, 'previous root key'));
  }

  async wrap(plaintextKey: Uint8Array, context: string): Promise<Uint8Array> {
    return seal(this.rootKey, plaintextKey, context);
  }

  async unwrap(wrapped: Uint8Array, context: string): Promise<Uint8Array> {
    try {
      return open(this.rootKey, wrapped, context, 'root key unwrap');
    } catch (error) {
      for (const key of this.previous) {
        try {
          return open(key, wrapped, context, 'root key unwrap');
        } catch {
          // the next previous key
        }
      }
      throw error;
    }
  }

  /** Whether the box is wrapped by the current root key (not by a previous one). */
  isCurrent(wrapped: Uint8Array, context: string): boolean {
    try {
      open(this.rootKey, wrapped, context, 'root key unwrap');
      return true;
    } catch {
      return false;
    }
  }
}
