import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER } from '@continuum/config';
import { isValidTwilioSignature } from '@continuum/twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './test-support/emulator-fixture';
import { startWebhookReceiver, type WebhookReceiver } from './test-support/webhook-receiver';

let running: RunningEmulator;
let receiver: WebhookReceiver;
let inboundUrl: string;

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  inboundUrl = `${receiver.url}/webhooks/twilio/inbound`;
  running = await startEmulator({ inboundWebhookUrl: inboundUrl });
});
afterEach(async () => {
  await running.emulator.close();
  await receiver.close();
});

async function inject(body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await running.request('/__emulator/inbound', {
    method: 'POST',
    auth: false,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('inbound message injection', () => {
  it('posts a signed Twilio inbound webhook and reports what it answered', async () => {
    const { status, json } = await inject({ from: '+14155550100', to: EMULATOR_FROM_NUMBER, body: 'STOP & go = ok' });

    expect(status).toBe(200);
    expect(json['sid']).toMatch(/^SM[0-9a-f]{32}$/);
    expect(json['webhookStatus']).toBe(200);
    expect(receiver.received).toHaveLength(1);
    const [webhook] = receiver.received;
    expect(webhook!.path).toBe('/webhooks/twilio/inbound');
    expect(webhook!.params).toMatchObject({
      MessageSid: json['sid'],
      SmsSid: json['sid'],
      SmsMessageSid: json['sid'],
      AccountSid: EMULATOR_ACCOUNT_SID,
      From: '+14155550100',
      To: EMULATOR_FROM_NUMBER,
      Body: 'STOP & go = ok',
      NumMedia: '0',
      NumSegments: '1',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
    });
    const signature = webhook!.headers['x-twilio-signature'] as string;
    expect(isValidTwilioSignature({ authToken: EMULATOR_AUTH_TOKEN, signature, url: inboundUrl, params: webhook!.params })).toBe(true);
    expect(isValidTwilioSignature({ authToken: 'other', signature, url: inboundUrl, params: webhook!.params })).toBe(false);
    expect(
      isValidTwilioSignature({ authToken: EMULATOR_AUTH_TOKEN, signature, url: inboundUrl, params: { ...webhook!.params, Body: 'START' } }),
    ).toBe(false);
  });

  it('reports a rejecting webhook’s status', async () => {
    receiver.respondWith(403);
    const { status, json } = await inject({ from: '+14155550100', to: EMULATOR_FROM_NUMBER, body: 'hi' });
    expect(status).toBe(200);
    expect(json['webhookStatus']).toBe(403);
  });

  it('posts to the url given in the request instead of the configured one', async () => {
    const { json } = await inject({ from: '+14155550100', to: EMULATOR_FROM_NUMBER, body: 'hi', url: `${receiver.url}/other?x=1` });
    expect(json['webhookStatus']).toBe(200);
    const [webhook] = receiver.received;
    expect(webhook!.path).toBe('/other?x=1');
    expect(
      isValidTwilioSignature({
        authToken: EMULATOR_AUTH_TOKEN,
        signature: webhook!.headers['x-twilio-signature'] as string,
        url: `${receiver.url}/other?x=1`,
        params: webhook!.params,
      }),
    ).toBe(true);
  });

  it('answers 502 when the webhook cannot be reached', async () => {
    await receiver.close();
    const { status, json } = await inject({ from: '+14155550100', to: EMULATOR_FROM_NUMBER, body: 'hi' });
    expect(status).toBe(502);
    expect(json).toMatchObject({ webhookStatus: null });
    expect(json['error']).toContain('ECONNREFUSED');
    receiver = await startWebhookReceiver();
  });

  it('rejects numbers that are not E.164 with 400', async () => {
    const { status, json } = await inject({ from: 'nobody', to: EMULATOR_FROM_NUMBER, body: 'hi' });
    expect(status).toBe(400);
    expect(json['error']).toContain("'from'");
    expect(receiver.received).toHaveLength(0);
  });
});
