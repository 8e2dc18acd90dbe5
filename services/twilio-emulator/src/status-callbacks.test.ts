import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER } from '@continuum/config';
import { createSmsSender, isValidTwilioSignature, type SmsSender } from '@continuum/twilio';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './test-support/emulator-fixture';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './test-support/webhook-receiver';

let running: RunningEmulator;
let receiver: WebhookReceiver;
let sender: SmsSender;

beforeEach(async () => {
  running = await startEmulator({ statusDelayMs: 20 });
  receiver = await startWebhookReceiver();
  sender = createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: running.url });
});
afterEach(async () => {
  await running.emulator.close();
  await receiver.close();
});

const statuses = (webhooks: ReceivedWebhook[]) => webhooks.map((webhook) => webhook.params['MessageStatus']);

function signatureValid(webhook: ReceivedWebhook, callbackUrl: string, authToken = EMULATOR_AUTH_TOKEN): boolean {
  const signature = webhook.headers['x-twilio-signature'];
  return isValidTwilioSignature({
    authToken,
    signature: typeof signature === 'string' ? signature : undefined,
    url: callbackUrl,
    params: webhook.params,
  });
}

async function freePortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/status`;
}

describe('status callbacks', () => {
  it('posts queued, sent, delivered in order, signed so that the SDK validates them', async () => {
    const callbackUrl = `${receiver.url}/webhooks/twilio/status?workspace=main`;
    const { sid } = await sender.sendSms({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'hi', statusCallback: callbackUrl });

    const webhooks = await receiver.waitFor(3);
    expect(statuses(webhooks)).toEqual(['queued', 'sent', 'delivered']);
    for (const webhook of webhooks) {
      expect(webhook.path).toBe('/webhooks/twilio/status?workspace=main');
      expect(webhook.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      expect(webhook.params).toEqual({
        AccountSid: EMULATOR_ACCOUNT_SID,
        ApiVersion: '2010-04-01',
        From: EMULATOR_FROM_NUMBER,
        MessageSid: sid,
        MessageStatus: webhook.params['MessageStatus'],
        SmsSid: sid,
        SmsStatus: webhook.params['MessageStatus'],
        To: '+14155550100',
      });
      expect(signatureValid(webhook, callbackUrl)).toBe(true);
      expect(signatureValid(webhook, callbackUrl, 'wrong-token')).toBe(false);
      expect(signatureValid(webhook, `${receiver.url}/webhooks/twilio/status`)).toBe(false);
    }

    await running.emulator.callbacksSettled();
    const [message] = running.emulator.messages();
    expect(message!.status).toBe('delivered');
    expect(message!.history.map((change) => change.status)).toEqual(['queued', 'sent', 'delivered']);
    expect(message!.callbacks.map((callback) => [callback.status, callback.httpStatus, callback.attempts])).toEqual([
      ['queued', 200, 1],
      ['sent', 200, 1],
      ['delivered', 200, 1],
    ]);
  });

  it('spaces status changes statusDelayMs apart', async () => {
    await running.emulator.close();
    running = await startEmulator({ statusDelayMs: 150 });
    sender = createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: running.url });
    await sender.sendSms({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'hi', statusCallback: `${receiver.url}/s` });
    await receiver.waitFor(3);
    const times = running.emulator.messages()[0]!.history.map((change) => Date.parse(change.at));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(140);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(140);
  });

  it('leaves +1500555070x sent, never confirmed', async () => {
    const { sid } = await sender.sendSms({ to: '+15005550703', from: EMULATOR_FROM_NUMBER, body: 'hi', statusCallback: `${receiver.url}/s` });
    const webhooks = await receiver.waitFor(2);
    expect(statuses(webhooks)).toEqual(['queued', 'sent']);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(receiver.received).toHaveLength(2);
    expect(await sender.fetchMessage(sid)).toMatchObject({ status: 'sent', errorCode: null });
  });

  it('ends +1500555080x undelivered with ErrorCode 30003', async () => {
    const { sid } = await sender.sendSms({ to: '+15005550801', from: EMULATOR_FROM_NUMBER, body: 'hi', statusCallback: `${receiver.url}/s` });
    const webhooks = await receiver.waitFor(3);
    expect(statuses(webhooks)).toEqual(['queued', 'sent', 'undelivered']);
    expect(webhooks[2]!.params['ErrorCode']).toBe('30003');
    expect(webhooks[1]!.params['ErrorCode']).toBeUndefined();
    expect(signatureValid(webhooks[2]!, `${receiver.url}/s`)).toBe(true);
    expect(await sender.fetchMessage(sid)).toMatchObject({ status: 'undelivered', errorCode: 30003, errorMessage: 'Unreachable destination handset' });
  });

  it('ends +1500555090x failed with ErrorCode 30008 and never sent', async () => {
    const { sid } = await sender.sendSms({ to: '+15005550905', from: EMULATOR_FROM_NUMBER, body: 'hi', statusCallback: `${receiver.url}/s` });
    const webhooks = await receiver.waitFor(2);
    expect(statuses(webhooks)).toEqual(['queued', 'failed']);
    expect(webhooks[1]!.params['ErrorCode']).toBe('30008');
    const fetched = await sender.fetchMessage(sid);
    expect(fetched).toMatchObject({ status: 'failed', errorCode: 30008, dateSent: null });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(receiver.received).toHaveLength(2);
  });

  it('keeps going when the callback target is down, logging instead of crashing, with bounded retries', async () => {
    const deadUrl = await freePortUrl();
    const { sid } = await sender.sendSms({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'hi', statusCallback: deadUrl });

    const deadline = Date.now() + 5000;
    while (running.emulator.messages()[0]!.callbacks.length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [message] = running.emulator.messages();
    expect(message!.status).toBe('delivered');
    expect(message!.callbacks).toHaveLength(3);
    for (const callback of message!.callbacks) {
      expect(callback).toMatchObject({ httpStatus: null, attempts: 3 });
      expect(callback.error).toContain('ECONNREFUSED');
    }
    expect(running.logs.filter((log) => log.level === 'warn' && log.message === 'status callback failed' && log.fields?.['sid'] === sid)).toHaveLength(3);
    expect((await fetch(`${running.url}/__emulator/health`)).status).toBe(200);
  });

  it('retries a 5xx answer a bounded number of times and does not retry a 4xx', async () => {
    receiver.respondWith(503);
    await sender.sendSms({ to: '+15005550905', from: EMULATOR_FROM_NUMBER, body: 'hi', statusCallback: `${receiver.url}/s` });
    await receiver.waitFor(6);
    await running.emulator.callbacksSettled();
    expect(statuses(receiver.received)).toEqual(['queued', 'queued', 'queued', 'failed', 'failed', 'failed']);
    const tokens = new Set(receiver.received.slice(0, 3).map((webhook) => webhook.headers['i-twilio-idempotency-token']));
    expect(tokens.size).toBe(1);

    receiver.received.length = 0;
    receiver.respondWith(404);
    await sender.sendSms({ to: '+15005550905', from: EMULATOR_FROM_NUMBER, body: 'hi', statusCallback: `${receiver.url}/s` });
    await receiver.waitFor(2);
    await running.emulator.callbacksSettled();
    expect(statuses(receiver.received)).toEqual(['queued', 'failed']);
    expect(running.emulator.messages()[1]!.callbacks.map((callback) => callback.attempts)).toEqual([1, 1]);
  });

  it('stops pending status changes and callbacks on close', async () => {
    await running.emulator.close();
    running = await startEmulator({ statusDelayMs: 100 });
    sender = createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: running.url });
    await sender.sendSms({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'hi', statusCallback: `${receiver.url}/s` });
    await receiver.waitFor(1);
    await running.emulator.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statuses(receiver.received)).toEqual(['queued']);
    expect(running.emulator.messages()[0]!.status).toBe('queued');
  });
});

describe('slow callback targets', () => {
  it('gives up on a callback that does not answer within the timeout', async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/s`;
    await running.emulator.close();
    running = await startEmulator({ statusDelayMs: 20 }, { callbackTimeoutMs: 150 });
    sender = createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: running.url });
    try {
      await sender.sendSms({ to: '+15005550905', from: EMULATOR_FROM_NUMBER, body: 'hi', statusCallback: hangingUrl });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await running.emulator.callbacksSettled();
      const [message] = running.emulator.messages();
      expect(message!.status).toBe('failed');
      expect(message!.callbacks[0]).toMatchObject({ status: 'queued', httpStatus: null, attempts: 3, error: 'no answer within 150 ms' });
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});
