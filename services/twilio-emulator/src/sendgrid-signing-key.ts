import { createPrivateKey, createPublicKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** The key pair the emulator signs Event Webhook posts with, as SendGrid's Signed Event Webhook does. */
export interface EventWebhookSigningKey {
  privateKey: KeyObject;
  /** Base64 of the DER (SubjectPublicKeyInfo) public key: what SendGrid shows as the verification key. */
  publicKey: string;
}

/** An ECDSA P-256 key: from a PEM private key when given, otherwise generated for this run. */
export function createEventWebhookSigningKey(privateKeyPem?: string): EventWebhookSigningKey {
  const privateKey = privateKeyPem ? readPrivateKey(privateKeyPem) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
  return { privateKey, publicKey };
}

/** Base64 DER ECDSA signature, SHA-256 over the timestamp header followed by the exact body. */
export function signEventPayload(key: EventWebhookSigningKey, timestamp: string, payload: string): string {
  return createSign('sha256').update(timestamp + payload, 'utf8').sign(key.privateKey, 'base64');
}

function readPrivateKey(pem: string): KeyObject {
  // Environment variables often carry PEM newlines as literal "\n".
  const key = createPrivateKey(pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem);
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
    throw new Error(`The Event Webhook signing key must be an EC P-256 (prime256v1) private key, got ${key.asymmetricKeyType} ${details?.namedCurve ?? ''}`.trim());
  }
  return key;
}
