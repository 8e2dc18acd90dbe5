import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidTwilioSignature } from './twilio-signature';

const url = 'https://gateway.example.com/webhooks/twilio/status?workspace=main';
const params = { MessageSid: 'SM123', MessageStatus: 'delivered', To: '+15005550006', Body: 'Olá & bye' };

// Twilio's documented scheme, written out independently: HMAC-SHA1 over URL + sorted name/value pairs.
function sign(authToken: string): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key as keyof typeof params], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

describe('isValidTwilioSignature', () => {
  it('accepts a signature made with the same token, URL and params', () => {
    expect(isValidTwilioSignature({ authToken: 'token', signature: sign('token'), url, params })).toBe(true);
  });

  it('rejects another token, a changed param, another URL or a missing header', () => {
    const signature = sign('token');
    expect(isValidTwilioSignature({ authToken: 'other', signature, url, params })).toBe(false);
    expect(isValidTwilioSignature({ authToken: 'token', signature, url, params: { ...params, MessageStatus: 'failed' } })).toBe(false);
    expect(isValidTwilioSignature({ authToken: 'token', signature, url: `${url}&x=1`, params })).toBe(false);
    expect(isValidTwilioSignature({ authToken: 'token', signature: undefined, url, params })).toBe(false);
  });
});
