import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';

export interface SendGridEventSignatureCheck {
  /** The Event Webhook verification key: base64 DER (as SendGrid shows it) or PEM. */
  publicKey: string;
  /** The raw request body, exactly as received (re-serialised JSON will not verify). */
  payload: string | Buffer;
  /** The X-Twilio-Email-Event-Webhook-Signature header; a missing header never validates. */
  signature: string | undefined;
  /** The X-Twilio-Email-Event-Webhook-Timestamp header. */
  timestamp: string | undefined;
}

/** Whether an Event Webhook post really comes from SendGrid (or the emulator): ECDSA P-256 / SHA-256 over timestamp + payload. */
export function isValidSendGridEventSignature({ publicKey, payload, signature, timestamp }: SendGridEventSignatureCheck): boolean {
  if (!signature || !timestamp) return false;
  try {
    return createVerify('sha256').update(timestamp, 'utf8').update(payload).verify(toKey(publicKey), signature, 'base64');
  } catch {
    // An unreadable key or a malformed signature is a failed check, not a crash of the webhook handler.
    return false;
  }
}

function toKey(publicKey: string): KeyObject {
  const trimmed = publicKey.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
  return createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
}
