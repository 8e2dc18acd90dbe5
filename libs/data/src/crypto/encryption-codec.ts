import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { customerKeyRef, type CustomerKeyStore, type DataKey } from './key-store';
import { open, seal } from './kms';

/** The encoding of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata of an encrypted payload: the data key's id and where to find it (no PII but the customer id). */
export const KEY_ID_METADATA = 'encryption-key-id';
export const WORKSPACE_ID_METADATA = 'encryption-workspace-id';
export const CUSTOMER_ID_METADATA = 'encryption-customer-id';
/**
 * Set by the caller on a plaintext payload (before encode) to say whose it is; it overrides the
 * codec's customer. The field travels inside the ciphertext only.
 */
export const PAYLOAD_CUSTOMER_METADATA = 'continuum-customer-id';
/** Set by the caller alongside `continuum-customer-id`: the workspace the payload belongs to (overrides the codec's). */
export const PAYLOAD_WORKSPACE_METADATA = 'continuum-workspace-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FOREIGN_KEY_VIOLATION = '23503';
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** Where the codec gets data keys: the customer key store, or anything alike. */
export type DataKeySource = Pick<CustomerKeyStore, 'dataKeyFor' | 'dataKeyById'>;

export interface EncryptionCodecOptions {
  keys: DataKeySource;
  workspaceId: string;
  /** The customer the payloads of this codec belong to; none means the workspace's key. */
  customerId?: string;
  /** How many unwrapped keys to keep in memory (least recently used goes first); default 1000. */
  cacheSize?: number;
  /** How long an unwrapped key is kept; default 5 minutes (bounds how long another process still decrypts after a destruction). */
  cacheTtlMs?: number;
}

class KeyCache {
  private readonly entries = new Map<string, { key: DataKey; until: number }>();
  constructor(readonly size: number, readonly ttlMs: number) {}

  get(name: string): DataKey | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    this.entries.delete(name);
    if (entry.until < Date.now()) return undefined;
    this.entries.set(name, entry); // most recently used last
    return entry.key;
  }

  set(name: string, key: DataKey): void {
    this.entries.delete(name);
    this.entries.set(name, { key, until: Date.now() + this.ttlMs });
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }

  get count(): number {
    return this.entries.size;
  }
}

/**
 * A Temporal PayloadCodec encrypting each payload with AES-256-GCM under the data key of the
 * customer it belongs to: the payload's `continuum-customer-id` metadata if the caller set it, else
 * the codec's `customerId` (see `forCustomer`), else the workspace's own data key. The encrypted
 * payload carries the encoding `binary/encrypted`, the key id, workspace id and customer id in
 * clear metadata; the original payload (metadata and data) is the ciphertext, bound by the GCM
 * additional data to those ids. Decoding passes a payload that is not encrypted through unchanged
 * and fails with DataKeyDestroyedError for a customer whose key was destroyed.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly cache: KeyCache;

  constructor(private readonly options: EncryptionCodecOptions, cache?: KeyCache) {
    this.cache = cache ?? new KeyCache(options.cacheSize ?? 1000, options.cacheTtlMs ?? 5 * 60_000);
  }

  /** The same codec (and key cache) for the payloads of one customer. */
  forCustomer(customerId: string | undefined): EncryptionCodec {
    return new EncryptionCodec({ ...this.options, customerId }, this.cache);
  }

  /** Forgets every unwrapped key held in memory (for example after a destruction). */
  clearCache(): void {
    this.cache.clear();
  }

  get cachedKeys(): number {
    return this.cache.count;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.encodeOne(payload)));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.decodeOne(payload)));
  }

  private async encodeOne(payload: Payload): Promise<Payload> {
    const marked = payload.metadata?.[PAYLOAD_CUSTOMER_METADATA];
    const markedWorkspace = payload.metadata?.[PAYLOAD_WORKSPACE_METADATA];
    let customerId = marked ? text.decode(marked) : this.options.customerId;
    let workspaceId = markedWorkspace ? text.decode(markedWorkspace) : this.options.workspaceId;
    if (workspaceId !== this.options.workspaceId && !UUID.test(workspaceId)) {
      // Not a workspace (a test's made-up id, a malformed value): the codec's own workspace key.
      workspaceId = this.options.workspaceId;
      customerId = undefined;
    }
    let dataKey: DataKey;
    try {
      dataKey = await this.dataKey(workspaceId, customerId);
    } catch (error) {
      // A workspace that does not exist (deleted, or never made): never leave a payload unencodable
      // (a workflow task would fail forever); it is encrypted under the codec's own workspace key.
      if (workspaceId === this.options.workspaceId || (error as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw error;
      workspaceId = this.options.workspaceId;
      customerId = undefined;
      dataKey = await this.dataKey(workspaceId, customerId);
    }
    const plain = temporal.api.common.v1.Payload.encode({ metadata: payload.metadata, data: payload.data }).finish();
    const metadata: Record<string, Uint8Array> = {
      encoding: utf8.encode(ENCRYPTED_ENCODING),
      [KEY_ID_METADATA]: utf8.encode(dataKey.keyId),
      [WORKSPACE_ID_METADATA]: utf8.encode(workspaceId),
    };
    if (customerId !== undefined) metadata[CUSTOMER_ID_METADATA] = utf8.encode(customerId);
    return { metadata, data: seal(dataKey.key, plain, additionalData(workspaceId, customerId, dataKey.keyId)) };
  }

  private async dataKey(workspaceId: string, customerId: string | undefined): Promise<DataKey> {
    const name = `${workspaceId}/${customerKeyRef(workspaceId, customerId)}`;
    let dataKey = this.cache.get(name);
    if (!dataKey) {
      dataKey = await this.options.keys.dataKeyFor(workspaceId, customerId);
      this.cache.set(name, dataKey);
    }
    return dataKey;
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    const metadata = payload.metadata ?? {};
    if (!metadata.encoding || text.decode(metadata.encoding) !== ENCRYPTED_ENCODING) return payload;
    const keyId = metadata[KEY_ID_METADATA];
    const workspace = metadata[WORKSPACE_ID_METADATA];
    if (!keyId || !workspace || !payload.data) throw new Error('an encrypted payload without its key id, workspace id or data');
    const workspaceId = text.decode(workspace);
    const customerId = metadata[CUSTOMER_ID_METADATA] ? text.decode(metadata[CUSTOMER_ID_METADATA]) : undefined;
    const id = text.decode(keyId);
    const name = `${workspaceId}/${customerKeyRef(workspaceId, customerId)}`;
    let dataKey = this.cache.get(name);
    if (!dataKey || dataKey.keyId !== id) {
      dataKey = await this.options.keys.dataKeyById(workspaceId, customerId, id);
      this.cache.set(name, dataKey);
    }
    const plain = open(dataKey.key, payload.data, additionalData(workspaceId, customerId, id), 'payload decryption');
    const decoded = temporal.api.common.v1.Payload.decode(plain);
    // protobufjs answers Buffers (views into one allocation): hand back plain copies.
    const original = Object.fromEntries(Object.entries(decoded.metadata ?? {}).map(([name, value]) => [name, new Uint8Array(value)]));
    return { metadata: original, data: new Uint8Array(decoded.data ?? []) };
  }
}

function additionalData(workspaceId: string, customerId: string | undefined, keyId: string): string {
  return JSON.stringify(['continuum/payload', workspaceId, customerId ?? null, keyId]);
}
