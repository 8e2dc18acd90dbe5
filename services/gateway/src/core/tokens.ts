/** Injection tokens for the gateway's infrastructure providers. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
/** The payload encryption codec (none without CONTINUUM_ROOT_KEY): `PayloadCodecHolder`. */
export const PAYLOAD_CODEC = Symbol('PAYLOAD_CODEC');

export interface PayloadCodecHolder {
  codec: import('@continuum/data').EncryptionCodec | undefined;
  /** The key store behind it (crypto-shredding on erasure); none without a root key. */
  keys: import('@continuum/data').CustomerKeyStore | undefined;
}
