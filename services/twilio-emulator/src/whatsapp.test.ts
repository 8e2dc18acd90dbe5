import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '@continuum/config';
import { createMessageSender, isValidTwilioSignature, TwilioSendError, type MessageSender, type SendMessageRequest } from '@continuum/twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './test-support/emulator-fixture';
import { startWebhookReceiver, type WebhookReceiver } from './test-support/webhook-receiver';
import { DEFAULT_WHATSAPP_CONTENT } from './whatsapp-content';

// WhatsApp through the real Twilio SDK: templates, the 24-hour window and its asynchronous 63016.
const SENDER = 'whatsapp:+15005550006';
const CART_TEMPLATE = 'HX00000000000000000000000000000001';
const HOUR_MS = 60 * 60 * 1000;

let running: RunningEmulator;
let receiver: WebhookReceiver;
let sender: MessageSender;

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  running = await startEmulator({ inboundWebhookUrl: `${receiver.url}/inbound` });
  sender = createMessageSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: running.url });
});
afterEach(async () => {
  await running.emulator.close();
  await receiver.close();
});

async function injectInbound(from: string, body: string, at?: Date): Promise<Response> {
  return running.request('/__emulator/inbound', {
    method: 'POST',
    auth: false,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, to: SENDER, body, ...(at ? { at: at.toISOString() } : {}) }),
  });
}

async function untilFinal(sid: string) {
  const deadline = Date.now() + 3000;
  for (;;) {
    const message = await sender.fetchMessage(sid);
    if (['delivered', 'undelivered', 'failed'].includes(message.status) || Date.now() > deadline) return message;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function sendError(request: SendMessageRequest): Promise<TwilioSendError> {
  const error = await sender.sendMessage(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TwilioSendError);
  return error as TwilioSendError;
}

describe('WhatsApp templates', () => {
  it('renders an approved template with its ContentVariables and delivers it outside any session', async () => {
    const sent = await sender.sendMessage({
      to: 'whatsapp:+14155550100',
      from: SENDER,
      contentSid: CART_TEMPLATE,
      contentVariables: { '1': 'Ana', '2': 'https://shop.example/cart/42' },
    });

    const expectedBody = 'Hi Ana, you left something in your cart. Pick up where you left off: https://shop.example/cart/42';
    expect(DEFAULT_WHATSAPP_CONTENT[CART_TEMPLATE]).toContain('{{1}}');
    expect(sent).toMatchObject({ status: 'queued', to: 'whatsapp:+14155550100', from: SENDER, body: expectedBody });
    expect(await untilFinal(sent.sid)).toMatchObject({ status: 'delivered', errorCode: null, body: expectedBody });
    expect(running.emulator.messages()[0]).toMatchObject({
      contentSid: CART_TEMPLATE,
      contentVariables: { '1': 'Ana', '2': 'https://shop.example/cart/42' },
    });
  });

  it('uses the templates configured in settings instead of the defaults', async () => {
    await running.emulator.close();
    const custom = `HX${'ab'.repeat(16)}`;
    running = await startEmulator({ whatsappContent: { [custom]: 'Olá {{1}}!' } });
    sender = createMessageSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: running.url });

    expect((await sender.sendMessage({ to: 'whatsapp:+14155550100', from: SENDER, contentSid: custom, contentVariables: { '1': 'Rui' } })).body).toBe('Olá Rui!');
    expect(await sendError({ to: 'whatsapp:+14155550100', from: SENDER, contentSid: CART_TEMPLATE, contentVariables: { '1': 'a', '2': 'b' } })).toMatchObject({
      code: 21655,
    });
  });

  it.each([
    ['an unknown ContentSid', { contentSid: `HX${'f'.repeat(32)}` }, 21655],
    ['a malformed ContentSid', { contentSid: 'HX123' }, 21655],
    ['ContentVariables that are not JSON', { contentSid: CART_TEMPLATE, contentVariables: '{"1": "Ana",' }, 21656],
    ['ContentVariables that are a JSON array', { contentSid: CART_TEMPLATE, contentVariables: '["Ana"]' }, 21656],
    ['a placeholder without a value', { contentSid: CART_TEMPLATE, contentVariables: { '1': 'Ana' } }, 21656],
    ['an empty variable', { contentSid: CART_TEMPLATE, contentVariables: { '1': 'Ana', '2': ' ' } }, 21656],
    ['ContentVariables without a ContentSid', { body: 'hi', contentVariables: { '1': 'Ana' } }, 21654],
  ])('refuses %s with %i and stores nothing', async (_case, fields, code) => {
    const error = await sendError({ to: 'whatsapp:+14155550100', from: SENDER, ...fields });
    expect(error).toMatchObject({ code, httpStatus: 400, permanent: true, moreInfo: `https://www.twilio.com/docs/errors/${code}` });
    expect(running.emulator.messages()).toHaveLength(0);
  });

  it('refuses a WhatsApp recipient with an SMS sender (21910)', async () => {
    expect(await sendError({ to: 'whatsapp:+14155550100', from: '+15005550006', body: 'hi' })).toMatchObject({ code: 21910, permanent: true });
    expect(await sendError({ to: '+14155550100', from: SENDER, body: 'hi' })).toMatchObject({ code: 21910 });
  });
});

describe('the 24-hour customer service window', () => {
  it('delivers a free-form message while the customer wrote within 24 hours', async () => {
    expect((await injectInbound('whatsapp:+14155550101', 'Is my order coming?', new Date(Date.now() - 23 * HOUR_MS))).status).toBe(200);
    const sent = await sender.sendMessage({ to: 'whatsapp:+14155550101', from: SENDER, body: 'Yes, tomorrow!' });
    expect(sent.status).toBe('queued');
    expect(await untilFinal(sent.sid)).toMatchObject({ status: 'delivered', errorCode: null });
  });

  it('accepts a free-form message outside the window, then fails it with 63016 in the resource and the signed callback', async () => {
    await injectInbound('whatsapp:+14155550102', 'hello', new Date(Date.now() - 25 * HOUR_MS));
    const callbackUrl = `${receiver.url}/status`;
    const sent = await sender.sendMessage({ to: 'whatsapp:+14155550102', from: SENDER, body: 'Still there?', statusCallback: callbackUrl });
    expect(sent).toMatchObject({ status: 'queued', errorCode: null });

    expect(await untilFinal(sent.sid)).toMatchObject({ status: 'failed', errorCode: 63016, dateSent: null });
    const callbacks = (await receiver.waitFor(3)).filter((webhook) => webhook.path === '/status');
    expect(callbacks.map((webhook) => webhook.params['MessageStatus'])).toEqual(['queued', 'failed']);
    const failed = callbacks[1]!;
    expect(failed.params).toMatchObject({ MessageSid: sent.sid, ErrorCode: '63016', From: SENDER, To: 'whatsapp:+14155550102' });
    const signature = failed.headers['x-twilio-signature'] as string;
    expect(isValidTwilioSignature({ authToken: EMULATOR_AUTH_TOKEN, signature, url: callbackUrl, params: failed.params })).toBe(true);
    expect(isValidTwilioSignature({ authToken: EMULATOR_AUTH_TOKEN, signature, url: callbackUrl, params: { ...failed.params, ErrorCode: '' } })).toBe(
      false,
    );
  });

  it('fails a free-form message to a customer who never wrote, but delivers a template to them', async () => {
    const freeForm = await sender.sendMessage({ to: 'whatsapp:+14155550103', from: SENDER, body: 'Hi there' });
    const template = await sender.sendMessage({
      to: 'whatsapp:+14155550103',
      from: SENDER,
      contentSid: 'HX00000000000000000000000000000002',
      contentVariables: { '1': 'A-1001', '2': '3 March' },
    });
    expect(await untilFinal(freeForm.sid)).toMatchObject({ status: 'failed', errorCode: 63016 });
    expect(await untilFinal(template.sid)).toMatchObject({ status: 'delivered', body: 'Your order A-1001 is on its way and should arrive on 3 March.' });
  });

  it('keeps windows per sender: a message to another of our WhatsApp numbers does not open this one', async () => {
    await running.request('/__emulator/inbound', {
      method: 'POST',
      auth: false,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'whatsapp:+14155550104', to: 'whatsapp:+15005550099', body: 'hi' }),
    });
    const sent = await sender.sendMessage({ to: 'whatsapp:+14155550104', from: SENDER, body: 'Hello' });
    expect(await untilFinal(sent.sid)).toMatchObject({ status: 'failed', errorCode: 63016 });
  });

  it('posts the WhatsApp inbound webhook with WaId and refuses a bad `at` or mixed channels', async () => {
    await injectInbound('whatsapp:+14155550105', 'hi');
    expect(receiver.received[0]!.params).toMatchObject({ From: 'whatsapp:+14155550105', To: SENDER, WaId: '14155550105' });

    const raw = await running.request('/__emulator/inbound', {
      method: 'POST',
      auth: false,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'whatsapp:+14155550105', to: SENDER, body: 'hi', at: 'yesterday' }),
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: string }).error).toContain("'at'");
    const mixed = await running.request('/__emulator/inbound', {
      method: 'POST',
      auth: false,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'whatsapp:+14155550105', to: '+15005550006', body: 'hi' }),
    });
    expect(mixed.status).toBe(400);
  });

  it('opens a window from the in-process recordWhatsAppInbound, without a webhook', async () => {
    running.emulator.recordWhatsAppInbound({ from: 'whatsapp:+14155550107', to: SENDER, at: new Date(Date.now() - 2 * HOUR_MS) });
    running.emulator.recordWhatsAppInbound({ from: 'whatsapp:+14155550108', to: SENDER, at: new Date(Date.now() - 30 * HOUR_MS) });
    const inside = await sender.sendMessage({ to: 'whatsapp:+14155550107', from: SENDER, body: 'Hello' });
    const outside = await sender.sendMessage({ to: 'whatsapp:+14155550108', from: SENDER, body: 'Hello' });
    expect(await untilFinal(inside.sid)).toMatchObject({ status: 'delivered' });
    expect(await untilFinal(outside.sid)).toMatchObject({ status: 'failed', errorCode: 63016 });
    expect(receiver.received).toHaveLength(0);
    expect(() => running.emulator.recordWhatsAppInbound({ from: '+14155550107', to: SENDER })).toThrow(/whatsapp:/);
  });

  it('forgets windows when the messages are cleared', async () => {
    await injectInbound('whatsapp:+14155550106', 'hi');
    await running.request('/__emulator/messages', { method: 'DELETE', auth: false });
    const sent = await sender.sendMessage({ to: 'whatsapp:+14155550106', from: SENDER, body: 'Hello' });
    expect(await untilFinal(sent.sid)).toMatchObject({ status: 'failed', errorCode: 63016 });
  });
});
