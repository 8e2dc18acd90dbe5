import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_FROM_NUMBER } from '@continuum/config';
import { createSmsSender, createTwilioClient, TwilioSendError, type SmsSender } from '@continuum/twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatedMessage } from './message-store';
import { startEmulator, type RunningEmulator } from './test-support/emulator-fixture';

// The real Twilio SDK (through @continuum/twilio) against the emulator: proves wire compatibility.
let running: RunningEmulator;
let sender: SmsSender;

beforeAll(async () => {
  running = await startEmulator();
  sender = createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: running.url });
});
afterAll(() => running.emulator.close());
beforeEach(async () => {
  await running.request('/__emulator/messages', { method: 'DELETE', auth: false });
});

async function sendError(to: string, from = EMULATOR_FROM_NUMBER): Promise<TwilioSendError> {
  const error = await sender.sendSms({ to, from, body: 'hello' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TwilioSendError);
  return error as TwilioSendError;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('sending through the SDK', () => {
  it('creates a queued message that shows up in /__emulator/messages', async () => {
    const sent = await sender.sendSms({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'Your cart misses you' });

    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent).toMatchObject({ status: 'queued', to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'Your cart misses you', numSegments: 1 });
    expect(sent.dateCreated).toBeInstanceOf(Date);
    expect(Math.abs(sent.dateCreated!.getTime() - Date.now())).toBeLessThan(5000);

    const listed = (await (await running.request('/__emulator/messages', { auth: false })).json()) as { messages: EmulatedMessage[] };
    expect(listed.messages).toHaveLength(1);
    expect(listed.messages[0]).toMatchObject({ sid: sent.sid, to: '+14155550100', body: 'Your cart misses you', direction: 'outbound-api' });
    expect(listed.messages[0]!.history[0]!.status).toBe('queued');
    expect(running.emulator.messages().map((m) => m.sid)).toEqual([sent.sid]);
  });

  it('fetches a message by sid and sees it progress to delivered', async () => {
    const { sid } = await sender.sendSms({ to: '+14155550101', from: EMULATOR_FROM_NUMBER, body: 'hi' });
    const fetched = await eventually(
      () => sender.fetchMessage(sid),
      (message) => message.status === 'delivered',
    );
    expect(fetched).toMatchObject({ sid, status: 'delivered', to: '+14155550101', body: 'hi', errorCode: null });
    expect(fetched.dateSent).toBeInstanceOf(Date);
    expect(running.emulator.messages()[0]!.history.map((change) => change.status)).toEqual(['queued', 'sent', 'delivered']);
  });

  it('answers 20404 for an unknown message sid', async () => {
    const error = await sender.fetchMessage('SM00000000000000000000000000000000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioSendError);
    expect(error).toMatchObject({ code: 20404, httpStatus: 404 });
  });

  it('rejects a To that is not E.164 with 21211 and stores nothing', async () => {
    const error = await sendError('0415 555 0100');
    expect(error).toMatchObject({ code: 21211, httpStatus: 400, permanent: true, moreInfo: 'https://www.twilio.com/docs/errors/21211' });
    expect(error.message).toContain("The 'To' number 0415 555 0100 is not a valid phone number.");
    expect(running.emulator.messages()).toHaveLength(0);
  });

  it.each([
    ['+15005550001', 21211],
    ['+15005550002', 21612],
    ['+15005550003', 21408],
    ['+15005550004', 21610],
    ['+15005550009', 21614],
  ])("fails Twilio's magic To %s with %i", async (to, code) => {
    expect(await sendError(to)).toMatchObject({ code, httpStatus: 400, permanent: true });
  });

  it.each([
    ['+15005550001', 21212, true],
    ['+15005550007', 21606, true],
    ['+15005550008', 21611, false],
  ])("fails Twilio's magic From %s with %i", async (from, code, permanent) => {
    expect(await sendError('+14155550100', from)).toMatchObject({ code, httpStatus: 400, permanent });
  });

  it('rejects a wrong auth token with 20003', async () => {
    const wrong = createSmsSender({ accountSid: EMULATOR_ACCOUNT_SID, authToken: 'not-the-token', apiBaseUrl: running.url });
    const error = await wrong.sendSms({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioSendError);
    expect(error).toMatchObject({ code: 20003, httpStatus: 401, permanent: false });
    expect(running.emulator.messages()).toHaveLength(0);
  });

  it('rejects another account sid with 20003', async () => {
    const other = createSmsSender({ accountSid: `AC${'1'.repeat(32)}`, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: running.url });
    const error = await other.sendSms({ to: '+14155550100', from: EMULATOR_FROM_NUMBER, body: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 20003, httpStatus: 401 });
  });

  it('lists messages filtered by To, following next_page_uri across pages', async () => {
    for (const body of ['one', 'two', 'three']) {
      await sender.sendSms({ to: '+14155550199', from: EMULATOR_FROM_NUMBER, body });
    }
    await sender.sendSms({ to: '+14155550198', from: EMULATOR_FROM_NUMBER, body: 'someone else' });

    const client = createTwilioClient({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: running.url });
    const listed = await client.messages.list({ to: '+14155550199', pageSize: 2 });
    expect(listed.map((m) => m.body)).toEqual(['three', 'two', 'one']);
    expect(listed.every((m) => m.to === '+14155550199' && m.accountSid === EMULATOR_ACCOUNT_SID)).toBe(true);

    const firstPage = await client.messages.page({ to: '+14155550199', pageSize: 2 });
    expect(firstPage.instances).toHaveLength(2);
    expect(firstPage.nextPageUrl).toContain('To=%2B14155550199');
    const secondPage = await firstPage.nextPage();
    expect(secondPage?.instances.map((m) => m.body)).toEqual(['one']);
  });
});
