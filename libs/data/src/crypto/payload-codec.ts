import type { DataSource } from 'typeorm';
import { DEFAULT_WORKSPACE_ID } from '../migrations';
import { EncryptionCodec } from './encryption-codec';
import { CustomerKeyStore } from './key-store';
import { LocalKms } from './kms';

/**
 * The payload codec of a gateway, worker or tool: encryption under each customer's data key when a
 * root key is configured (`CONTINUUM_ROOT_KEY`), none otherwise. Payloads marked with no workspace
 * (or one that does not exist) are encrypted under the default workspace's own key.
 */
export function createPayloadCodec(dataSource: DataSource, rootKey: string | undefined, previousRootKeys: readonly string[] = []): EncryptionCodec | undefined {
  return createPayloadEncryption(dataSource, rootKey, previousRootKeys)?.codec;
}

/** The codec and the key store behind it (for crypto-shredding), with a root key; undefined without one. */
export function createPayloadEncryption(
  dataSource: DataSource,
  rootKey: string | undefined,
  previousRootKeys: readonly string[] = [],
): { codec: EncryptionCodec; keys: CustomerKeyStore } | undefined {
  if (!rootKey) return undefined;
  const keys = new CustomerKeyStore(dataSource, new LocalKms(rootKey, previousRootKeys));
  return { codec: new EncryptionCodec({ keys, workspaceId: DEFAULT_WORKSPACE_ID }), keys };
}
