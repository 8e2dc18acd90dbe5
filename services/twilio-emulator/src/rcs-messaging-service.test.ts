import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER } from '@continuum/config';
import { createMessageSender, TwilioSendError, type MessageSender, type SendMessageRequest } from '@continuum/twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGING_SERVICE_SID, DEFAULT_RCS_AGENT } from './messaging-service';
import { startEmulator, type RunningEmulator } from './test-support/emulator-fixture';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './test-support/webhook-receiver';

// RCS through the Messaging Service's sender pool, SMS fallback, forced rcs: recipients and MMS, with the real SDK.
const SERVICE = DEFAULT_MESSAGING_SERVICE_SID;
const NOT_RCS_CAPABLE = '+15005550612';

let running: RunningEmulator;
let receiver: WebhookReceiver;
let sender: MessageSender;

beforeAll(async () => {
  running = await startEmulator();
  receiver = await startWebhookReceiver();
  sender = createMessageSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: running.url });
});
afterAll(async () => {
  await running.emulator.close();
  await receiver.close();
});
beforeEach(async () => {
  await running.request('/__emulator/messages', { method: 'DELETE', auth: false });
  receiver.received.length = 0;
});

async function untilFinal(sid: string) {
  const deadline = Date.now() + 3000;
  for (;;) {
    const message = await sender.fetchMessage(sid);
    if (['delivered', 'undelivered', 'failed'].includes(message.status) || Date.now() > deadline) return message;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function callbacksOf(sid: string, count: number): Promise<ReceivedWebhook[]> {
  const deadline = Date.now() + 3000;
  while (receiver.received.filter((webhook) => webhook.params['MessageSid'] === sid).length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return receiver.received.filter((webhook) => webhook.params['MessageSid'] === sid);
}

async function sendError(request: SendMessageRequest): Promise<TwilioSendError> {
  const error = await sender.sendMessage(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TwilioSendError);
  return error as TwilioSendError;
}

describe('the Messaging Service sender pool', () => {
  it('exposes its SID and pool: the RCS agent, then the SMS number', () => {
    expect(running.emulator.messagingService).toEqual({ sid: SERVICE, rcsSender: DEFAULT_RCS_AGENT, smsSender: EMULATOR_FROM_NUMBER });
    expect(DEFAULT_RCS_AGENT).toBe('rcs:continuum_agent');
  });

  it('sends over RCS to a capable handset, and the callbacks show the RCS sender', async () => {
    const statusCallback = `${receiver.url}/status`;
    const sent = await sender.sendMessage({ to: '+14155550100', messagingServiceSid: SERVICE, body: 'Your cart', statusCallback });
    expect(sent).toMatchObject({ status: 'queued', from: null, messagingServiceSid: SERVICE });

    expect(await untilFinal(sent.sid)).toMatchObject({ status: 'delivered', from: DEFAULT_RCS_AGENT, to: '+14155550100' });
    const callbacks = await callbacksOf(sent.sid, 3);
    expect(callbacks.map((webhook) => [webhook.params['MessageStatus'], webhook.params['From']])).toEqual([
      ['queued', undefined],
      ['sent', DEFAULT_RCS_AGENT],
      ['delivered', DEFAULT_RCS_AGENT],
    ]);
    expect(callbacks.every((webhook) => webhook.params['MessagingServiceSid'] === SERVICE)).toBe(true);
  });

  it('falls back to SMS from the pool number for a handset that cannot take RCS', async () => {
    const sent = await sender.sendMessage({ to: NOT_RCS_CAPABLE, messagingServiceSid: SERVICE, body: 'Your cart', statusCallback: `${receiver.url}/s` });
    expect(await untilFinal(sent.sid)).toMatchObject({ status: 'delivered', from: EMULATOR_FROM_NUMBER, errorCode: null });
    const callbacks = await callbacksOf(sent.sid, 3);
    expect(callbacks.at(-1)!.params).toMatchObject({ MessageStatus: 'delivered', From: EMULATOR_FROM_NUMBER });
  });

  it('fails an rcs: recipient that cannot take RCS with 63106 and does not fall back', async () => {
    const sent = await sender.sendMessage({ to: `rcs:${NOT_RCS_CAPABLE}`, messagingServiceSid: SERVICE, body: 'Hi', statusCallback: `${receiver.url}/s` });
    expect(sent.status).toBe('queued');
    expect(await untilFinal(sent.sid)).toMatchObject({ status: 'failed', errorCode: 63106, from: DEFAULT_RCS_AGENT, dateSent: null });
    const callbacks = await callbacksOf(sent.sid, 2);
    expect(callbacks.map((webhook) => webhook.params['MessageStatus'])).toEqual(['queued', 'failed']);
    expect(callbacks[1]!.params).toMatchObject({ ErrorCode: '63106', From: DEFAULT_RCS_AGENT, To: `rcs:${NOT_RCS_CAPABLE}` });
  });

  it('delivers an rcs: recipient that can take RCS, through the service or from the agent itself', async () => {
    const viaService = await sender.sendMessage({ to: 'rcs:+14155550101', messagingServiceSid: SERVICE, body: 'Hi' });
    const fromAgent = await sender.sendMessage({ to: 'rcs:+14155550102', from: DEFAULT_RCS_AGENT, body: 'Hi' });
    expect(await untilFinal(viaService.sid)).toMatchObject({ status: 'delivered', from: DEFAULT_RCS_AGENT });
    expect(await untilFinal(fromAgent.sid)).toMatchObject({ status: 'delivered', from: DEFAULT_RCS_AGENT });
  });

  it('refuses an unknown service (21701), a malformed SID (21705), another RCS agent (21606) and mixed channels (21910)', async () => {
    expect(await sendError({ to: '+14155550100', messagingServiceSid: `MG${'1'.repeat(32)}`, body: 'x' })).toMatchObject({
      code: 21701,
      httpStatus: 400,
      permanent: true,
    });
    expect(await sendError({ to: '+14155550100', messagingServiceSid: 'MG123', body: 'x' })).toMatchObject({ code: 21705, permanent: true });
    expect(await sendError({ to: 'rcs:+14155550100', from: 'rcs:someone_else', body: 'x' })).toMatchObject({ code: 21606 });
    expect(await sendError({ to: '+14155550100', from: DEFAULT_RCS_AGENT, body: 'x' })).toMatchObject({ code: 21910 });
    expect(await sendError({ to: 'rcs:+14155550100', from: EMULATOR_FROM_NUMBER, body: 'x' })).toMatchObject({ code: 21910 });
    expect(running.emulator.messages()).toHaveLength(0);
  });

  it('uses the service SID and RCS agent from settings', async () => {
    const sid = `MG${'0123456789abcdef'.repeat(2)}`;
    const custom = await startEmulator({ messagingServiceSid: sid, rcsAgent: 'acme_agent' });
    try {
      const customSender = createMessageSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: custom.url });
      const sent = await customSender.sendMessage({ to: '+14155550100', messagingServiceSid: sid, body: 'x' });
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect((await customSender.fetchMessage(sent.sid)).from).toBe('rcs:acme_agent');
    } finally {
      await custom.emulator.close();
    }
  });
});

describe('MMS', () => {
  it('counts every MediaUrl in num_media, on creation and when fetched', async () => {
    const mediaUrls = ['https://cdn.example/cart.png', 'http://cdn.example/offer.jpg'];
    const sent = await sender.sendMessage({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'Look', mediaUrls });
    expect(sent.numMedia).toBe(2);
    expect((await sender.fetchMessage(sent.sid)).numMedia).toBe(2);
    expect(running.emulator.messages()[0]!.mediaUrls).toEqual(mediaUrls);

    const mediaOnly = await sender.sendMessage({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, mediaUrls: [mediaUrls[0]!] });
    expect(mediaOnly).toMatchObject({ numMedia: 1, body: '' });
    expect((await sender.sendMessage({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'text' })).numMedia).toBe(0);
  });

  it('refuses a media URL that is not http(s) with 21620', async () => {
    const error = await sendError({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'x', mediaUrls: ['https://ok.example/a.png', 'ftp://cdn.example/a.png'] });
    expect(error).toMatchObject({ code: 21620, httpStatus: 400, permanent: true });
    expect(error.message).toContain('ftp://cdn.example/a.png');
  });
});
