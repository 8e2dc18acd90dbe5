import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './test-support/emulator-fixture';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './test-support/webhook-receiver';

let running: RunningEmulator;
let receiver: WebhookReceiver;
let parseUrl: string;

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  parseUrl = `${receiver.url}/webhooks/sendgrid/inbound?token=s3cret`;
  running = await startEmulator({ inboundEmailWebhookUrl: parseUrl });
});
afterEach(async () => {
  await running.emulator.close();
  await receiver.close();
});

async function inject(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await running.request('/__emulator/inbound-email', {
    method: 'POST',
    auth: false,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The multipart fields of a received Inbound Parse post, decoded by the platform's own parser. */
async function fieldsOf(webhook: ReceivedWebhook): Promise<Record<string, string>> {
  const request = new Request('http://receiver.invalid/', {
    method: 'POST',
    headers: { 'content-type': webhook.headers['content-type'] as string },
    body: webhook.body,
  });
  const form = await request.formData();
  return Object.fromEntries([...form.entries()].map(([name, value]) => [name, String(value)]));
}

describe('inbound email injection (SendGrid Inbound Parse)', () => {
  it('posts the email as multipart/form-data to the configured parse URL, token and all', async () => {
    const { status, json } = await inject({
      from: 'Ana Lima <ana@example.com>',
      to: 'support@continuum.test',
      subject: 'Re: Your return',
      text: 'Any update on my return?\n\nOn Mon, Support wrote:\n> What is the reason?',
      inReplyTo: '<abc@continuum.test>',
    });

    expect(status).toBe(200);
    expect(json['webhookStatus']).toBe(200);
    expect(json['messageId']).toMatch(/^<[0-9a-f-]{36}@emulator\.sendgrid\.test>$/);
    const [webhook] = await receiver.waitFor(1);
    expect(webhook!.path).toBe('/webhooks/sendgrid/inbound?token=s3cret');
    expect(webhook!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const fields = await fieldsOf(webhook!);
    expect(fields).toMatchObject({
      from: 'Ana Lima <ana@example.com>',
      to: 'support@continuum.test',
      subject: 'Re: Your return',
      // Line breaks travel as CRLF, as in any email.
      text: 'Any update on my return?\r\n\r\nOn Mon, Support wrote:\r\n> What is the reason?',
      SPF: 'pass',
    });
    expect(JSON.parse(fields['envelope']!)).toEqual({ to: ['support@continuum.test'], from: 'ana@example.com' });
    expect(fields['headers']).toContain(`Message-ID: ${json['messageId'] as string}`);
    expect(fields['headers']).toContain('In-Reply-To: <abc@continuum.test>');
  });

  it('reports a refusing webhook’s status, and a webhook it cannot reach as 502', async () => {
    receiver.respondWith(403);
    expect((await inject({ from: 'ana@example.com', to: 'support@continuum.test', text: 'hi' })).json['webhookStatus']).toBe(403);
    const gone = await inject({ from: 'ana@example.com', to: 'support@continuum.test', text: 'hi', url: 'http://127.0.0.1:1/inbound' });
    expect(gone.status).toBe(502);
    expect(gone.json['error']).toMatch(/unreachable/);
  });

  it.each([
    [{ to: 'support@continuum.test', text: 'hi' }, /from/],
    [{ from: 'ana@example.com', to: 'support@continuum.test', text: '  ' }, /text/],
    [{ from: 'not an address', to: 'support@continuum.test', text: 'hi' }, /'from' must be an email address/],
    [{ from: 'ana@example.com', to: '+14155550100', text: 'hi' }, /'to' must be an email address/],
    [{ from: 'ana@example.com', to: 'support@continuum.test', text: 'hi', subject: 7 }, /'subject' must be a string/],
    [{ from: 'ana@example.com', to: 'support@continuum.test', text: 'hi', subject: 'a\nBcc: x@y.z' }, /'subject' must be one line/],
    [{ from: 'ana@example.com', to: 'support@continuum.test', text: 'hi', url: 'ftp://x' }, /'url' must be an http\(s\) URL/],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    const { status, json } = await inject(body);
    expect(status).toBe(400);
    expect(json['error']).toMatch(message);
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses an email when no parse URL is configured or given', async () => {
    const bare = await startEmulator();
    try {
      const response = await bare.request('/__emulator/inbound-email', {
        method: 'POST',
        auth: false,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'ana@example.com', to: 'support@continuum.test', text: 'hi' }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/EMULATOR_SENDGRID_INBOUND_WEBHOOK_URL/);
    } finally {
      await bare.emulator.close();
    }
  });

  it('delivers any text and subject unchanged, or refuses the request with a 4xx (never a 5xx)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ subject: fc.string({ maxLength: 60, unit: 'grapheme' }), text: fc.string({ maxLength: 200, unit: 'grapheme' }) }), async ({ subject, text }) => {
        const before = receiver.received.length;
        const { status } = await inject({ from: 'ana@example.com', to: 'support@continuum.test', subject, text });
        if (text.trim() === '' || /[\r\n]/.test(subject.trim())) {
          expect(status).toBe(400);
          return;
        }
        expect(status).toBe(200);
        const fields = await fieldsOf(receiver.received[before]!);
        expect(fields['text']).toBe(text.replace(/\r\n|\r|\n/g, '\r\n'));
        expect(fields['subject']).toBe(subject.trim());
      }),
      { numRuns: 40 },
    );
  });
});
