import { createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidSendGridEventSignature } from './sendgrid-event-signature';

// SendGrid's documented scheme, written out independently: ECDSA P-256 / SHA-256 over timestamp + raw body, base64.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const publicKeyBase64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const payload = '[{"email":"ana@example.com","event":"delivered","timestamp":1700000000,"instance_id":"i-1"}]\r\n';
const timestamp = '1700000001';
const signature = createSign('sha256').update(timestamp + payload).sign(privateKey, 'base64');

describe('isValidSendGridEventSignature', () => {
  it('accepts the signature with the base64 DER key SendGrid shows, a PEM key, and a Buffer body', () => {
    expect(isValidSendGridEventSignature({ publicKey: publicKeyBase64, payload, signature, timestamp })).toBe(true);
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(isValidSendGridEventSignature({ publicKey: pem, payload: Buffer.from(payload), signature, timestamp })).toBe(true);
  });

  it('rejects a changed body or timestamp, another key, and missing headers', () => {
    expect(isValidSendGridEventSignature({ publicKey: publicKeyBase64, payload: payload.replace('i-1', 'i-2'), signature, timestamp })).toBe(false);
    expect(isValidSendGridEventSignature({ publicKey: publicKeyBase64, payload, signature, timestamp: '1700000002' })).toBe(false);
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(isValidSendGridEventSignature({ publicKey: other, payload, signature, timestamp })).toBe(false);
    expect(isValidSendGridEventSignature({ publicKey: publicKeyBase64, payload, signature: undefined, timestamp })).toBe(false);
    expect(isValidSendGridEventSignature({ publicKey: publicKeyBase64, payload, signature, timestamp: undefined })).toBe(false);
  });

  it('returns false, never throws, for an unreadable key or signature', () => {
    expect(isValidSendGridEventSignature({ publicKey: 'not a key', payload, signature, timestamp })).toBe(false);
    expect(isValidSendGridEventSignature({ publicKey: publicKeyBase64, payload, signature: 'AAAA', timestamp })).toBe(false);
  });
});
