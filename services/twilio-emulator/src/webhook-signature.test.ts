import { isValidTwilioSignature } from '@continuum/twilio';
import { describe, expect, it } from 'vitest';
import { computeTwilioSignature } from './webhook-signature';

// The emulator signs with its own code; the Twilio SDK's validateRequest is the judge.
describe('computeTwilioSignature', () => {
  const cases: Array<[string, string, Record<string, string>]> = [
    ['plain', 'http://127.0.0.1:4000/webhooks/twilio/status', { MessageSid: 'SM1', MessageStatus: 'sent' }],
    ['query string and https', 'https://gateway.example.com/hook?workspace=a&b=c', { To: '+1', From: '+2' }],
    ['unicode, spaces, & and =', 'http://localhost:3000/in', { Body: 'Olá, 世界 & a=b + c 👋', From: '+14155550100' }],
    ['case-sensitive sort', 'http://localhost/x', { a: '1', B: '2', Ab: '3', AB: '4' }],
    ['no params', 'http://localhost/x', {}],
  ];

  it.each(cases)('is accepted by the SDK: %s', (_name, url, params) => {
    const signature = computeTwilioSignature('secret-token', url, params);
    expect(isValidTwilioSignature({ authToken: 'secret-token', signature, url, params })).toBe(true);
    expect(isValidTwilioSignature({ authToken: 'other-token', signature, url, params })).toBe(false);
  });

  it("reproduces the example in Twilio's webhook security documentation", () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
    expect(computeTwilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });
});
