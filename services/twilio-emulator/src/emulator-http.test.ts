import { EMULATOR_ACCOUNT_SID, EMULATOR_FROM_NUMBER } from '@continuum/config';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGING_SERVICE_SID } from './messaging-service';
import { MESSAGES_PATH, startEmulator, type RunningEmulator } from './test-support/emulator-fixture';

// Raw HTTP against the emulator: what the SDK cannot send (missing parameters, broken bodies) and the wire shapes.
let running: RunningEmulator;

beforeAll(async () => {
  running = await startEmulator();
});
afterAll(() => running.emulator.close());
beforeEach(async () => {
  await running.request('/__emulator/messages', { method: 'DELETE', auth: false });
});

const valid = { To: '+14155550100', From: EMULATOR_FROM_NUMBER, Body: 'hello' };

async function create(form: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await running.request(MESSAGES_PATH, { form });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function withoutKey(form: Record<string, string>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(form).filter(([name]) => name !== key));
}

describe('Create Message validation', () => {
  it.each([
    ['missing To', 21604, withoutKey(valid, 'To')],
    ['To not E.164', 21211, { ...valid, To: '4155550100' }],
    ['missing From and MessagingServiceSid', 21603, withoutKey(valid, 'From')],
    ['From neither a number nor a sender ID', 21212, { ...valid, From: '+12' }],
    ['missing Body, MediaUrl and ContentSid', 21602, withoutKey(valid, 'Body')],
    ['Body over 1600 characters', 21617, { ...valid, Body: 'x'.repeat(1601) }],
    ['StatusCallback not a URL', 21609, { ...valid, StatusCallback: 'not a url' }],
  ])('%s → %i', async (_case, code, form) => {
    const { status, json } = await create(form);
    expect(status).toBe(400);
    expect(json).toEqual({ code, message: expect.any(String), more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 });
    expect(running.emulator.messages()).toHaveLength(0);
  });

  it('accepts exactly 1600 characters, media without a body and a messaging service without From', async () => {
    expect((await create({ ...valid, Body: 'x'.repeat(1600) })).status).toBe(201);
    const media = await create({ To: valid.To, From: valid.From, MediaUrl: 'https://example.com/cat.png' });
    expect(media.status).toBe(201);
    expect(media.json['num_media']).toBe('1');
    const service = await create({ To: valid.To, MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID, Body: 'hi' });
    expect(service.status).toBe(201);
    expect(service.json).toMatchObject({ from: null, messaging_service_sid: DEFAULT_MESSAGING_SERVICE_SID });
  });

  it('answers 201 with the Message resource of the OpenAPI description', async () => {
    const { status, json } = await create({ ...valid, Body: 'x'.repeat(161) });
    expect(status).toBe(201);
    const sid = json['sid'] as string;
    expect(Object.keys(json).sort()).toEqual([
      'account_sid', 'api_version', 'body', 'date_created', 'date_sent', 'date_updated', 'direction', 'error_code',
      'error_message', 'from', 'messaging_service_sid', 'num_media', 'num_segments', 'price', 'price_unit', 'sid',
      'status', 'subresource_uris', 'to', 'uri',
    ]);
    expect(json).toMatchObject({
      account_sid: EMULATOR_ACCOUNT_SID,
      api_version: '2010-04-01',
      direction: 'outbound-api',
      status: 'queued',
      num_segments: '2',
      num_media: '0',
      price: null,
      error_code: null,
      error_message: null,
      date_sent: null,
      uri: `/2010-04-01/Accounts/${EMULATOR_ACCOUNT_SID}/Messages/${sid}.json`,
    });
    expect(json['date_created']).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('counts UCS-2 segments for non-GSM text', async () => {
    expect((await create({ ...valid, Body: '中'.repeat(70) })).json['num_segments']).toBe('1');
    expect((await create({ ...valid, Body: '中'.repeat(71) })).json['num_segments']).toBe('2');
  });
});

describe('authentication', () => {
  it('answers 401 with 20003 and a Basic challenge without credentials', async () => {
    const response = await running.request(MESSAGES_PATH, { form: valid, auth: false });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await response.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
  });

  it('protects reads too', async () => {
    expect((await running.request(MESSAGES_PATH, { auth: false })).status).toBe(401);
  });
});

describe('bad input never crashes the emulator', () => {
  it('rejects a malformed form body with 400', async () => {
    const response = await running.request(MESSAGES_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'To=%E0%A4%A&Body=x',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/Malformed form-encoded body/);
  });

  it('rejects a JSON body on the Twilio API with 400', async () => {
    const response = await running.request(MESSAGES_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(valid),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('application/x-www-form-urlencoded');
  });

  it('rejects broken JSON and missing fields on /__emulator/inbound with 400', async () => {
    const post = (body: string) =>
      running.request('/__emulator/inbound', { method: 'POST', auth: false, headers: { 'content-type': 'application/json' }, body });
    const broken = await post('{"from":');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: string }).error).toMatch(/not valid JSON/);
    const missing = await post(JSON.stringify({ from: '+14155550100' }));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toContain('to, body');
    const array = await post('[]');
    expect(array.status).toBe(400);
    const noUrl = await post(JSON.stringify({ from: '+14155550100', to: EMULATOR_FROM_NUMBER, body: 'hi' }));
    expect(noUrl.status).toBe(400);
    expect(((await noUrl.json()) as { error: string }).error).toContain('EMULATOR_INBOUND_WEBHOOK_URL');

    expect(await (await running.request('/__emulator/health', { auth: false })).json()).toEqual({ ok: true });
  });

  it('answers Twilio 404s and 405s for unknown resources and methods', async () => {
    const unknown = await running.request(`/2010-04-01/Accounts/${EMULATOR_ACCOUNT_SID}/Calls.json`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 20404, status: 404 });
    const wrongMethod = await running.request(MESSAGES_PATH, { method: 'PUT' });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ code: 20004 });
  });
});

describe('read messages', () => {
  it('pages newest first with Twilio’s envelope and filters by To, From and DateSent', async () => {
    for (const to of ['+14155550111', '+14155550112', '+14155550111']) await create({ ...valid, To: to });
    await create({ ...valid, From: '+14155550999' });

    const page = (await (await running.request(`${MESSAGES_PATH}?To=%2B14155550111&PageSize=1`)).json()) as Record<string, unknown>;
    expect(page).toMatchObject({ page: 0, page_size: 1, start: 0, end: 0, previous_page_uri: null });
    expect(page['next_page_uri']).toBe(`${MESSAGES_PATH}?To=%2B14155550111&PageSize=1&Page=1&PageToken=PA1`);
    expect(page['first_page_uri']).toBe(`${MESSAGES_PATH}?To=%2B14155550111&PageSize=1&Page=0`);
    expect((page['messages'] as unknown[]).length).toBe(1);

    const last = (await (await running.request(page['next_page_uri'] as string)).json()) as Record<string, unknown>;
    expect(last).toMatchObject({ page: 1, start: 1, end: 1, next_page_uri: null });
    expect(last['previous_page_uri']).toContain('Page=0');

    const fromFilter = (await (await running.request(`${MESSAGES_PATH}?From=%2B14155550999`)).json()) as { messages: unknown[] };
    expect(fromFilter.messages).toHaveLength(1);

    // date_sent is set once a message is sent (after statusDelayMs); wait for all four.
    const today = new Date().toISOString().slice(0, 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sentToday = (await (await running.request(`${MESSAGES_PATH}?DateSent=${today}`)).json()) as { messages: unknown[] };
    expect(sentToday.messages).toHaveLength(4);
    const sentBefore = (await (await running.request(`${MESSAGES_PATH}?${encodeURIComponent('DateSent<')}=2000-01-01`)).json()) as {
      messages: unknown[];
    };
    expect(sentBefore.messages).toHaveLength(0);
  });

  it('rejects an out-of-range PageSize with 400', async () => {
    const response = await running.request(`${MESSAGES_PATH}?PageSize=5000`);
    expect(response.status).toBe(400);
  });
});

describe('emulator helpers', () => {
  it('DELETE /__emulator/messages clears every message', async () => {
    await create(valid);
    expect(running.emulator.messages()).toHaveLength(1);
    expect((await running.request('/__emulator/messages', { method: 'DELETE', auth: false })).status).toBe(204);
    const listed = (await (await running.request('/__emulator/messages', { auth: false })).json()) as { messages: unknown[] };
    expect(listed.messages).toEqual([]);
  });
});
