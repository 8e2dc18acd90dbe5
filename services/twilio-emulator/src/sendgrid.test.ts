import { createEmailSender, isValidSendGridEventSignature, SendGridSendError, type EmailSender } from '@continuum/twilio';
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SENDGRID_API_KEY } from './sendgrid-api';
import type { EmailEvent, EmulatedEmail } from './sendgrid-email-store';
import { startEmulator, type RunningEmulator } from './test-support/emulator-fixture';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './test-support/webhook-receiver';

// SendGrid's v3 Mail Send and Signed Event Webhook, through the real @sendgrid/mail (via @continuum/twilio).
const FROM = { email: 'shop@continuum.example', name: 'Continuum Shop' };

let running: RunningEmulator;
let receiver: WebhookReceiver;
let email: EmailSender;

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  running = await startEmulator({ sendgridEventWebhookUrl: `${receiver.url}/webhooks/sendgrid` });
  email = createEmailSender({ apiKey: DEFAULT_SENDGRID_API_KEY, baseUrl: running.url });
});
afterEach(async () => {
  await running.emulator.close();
  await receiver.close();
});

async function mailSend(body: unknown, authorization: string | null = `Bearer ${DEFAULT_SENDGRID_API_KEY}`): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers['authorization'] = authorization;
  return fetch(`${running.url}/v3/mail/send`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function sendError(promise: Promise<unknown>): Promise<SendGridSendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SendGridSendError);
  return error as SendGridSendError;
}

const events = (webhook: ReceivedWebhook) => JSON.parse(webhook.body) as EmailEvent[];

describe('Mail Send', () => {
  it('answers 202 with an X-Message-Id and keeps the email for /__emulator/emails', async () => {
    const { messageId } = await email.sendEmail({
      to: { email: 'ana@example.com', name: 'Ana' },
      from: FROM,
      subject: 'Your cart misses you',
      text: 'Come back',
      html: '<p>Come back</p>',
      customArgs: { instance_id: 'journey/cart/c1/k1', step: 'reminder' },
      categories: ['abandoned-cart'],
    });

    expect(messageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const listed = (await (await fetch(`${running.url}/__emulator/emails`)).json()) as { emails: EmulatedEmail[] };
    expect(listed.emails).toHaveLength(1);
    expect(listed.emails[0]).toMatchObject({
      messageId,
      from: FROM,
      subject: 'Your cart misses you',
      content: [
        { type: 'text/plain', value: 'Come back' },
        { type: 'text/html', value: '<p>Come back</p>' },
      ],
      personalizations: [{ to: [{ email: 'ana@example.com', name: 'Ana' }], cc: [], bcc: [] }],
      customArgs: { instance_id: 'journey/cart/c1/k1', step: 'reminder' },
      categories: ['abandoned-cart'],
    });
    expect(running.emulator.emails().map((sent) => sent.messageId)).toEqual([messageId]);

    const raw = await mailSend({ personalizations: [{ to: [{ email: 'rui@example.com' }] }], from: FROM, subject: 's', content: [{ type: 'text/plain', value: 'v' }] });
    expect(raw.status).toBe(202);
    expect(await raw.text()).toBe('');
    expect(raw.headers.get('x-message-id')).toMatch(/^[A-Za-z0-9_-]{22}$/);

    expect((await fetch(`${running.url}/__emulator/emails`, { method: 'DELETE' })).status).toBe(204);
    expect(running.emulator.emails()).toEqual([]);
  });

  it('accepts a template_id without subject or content', async () => {
    const response = await mailSend({ personalizations: [{ to: [{ email: 'ana@example.com' }] }], from: FROM, template_id: 'd-0123456789abcdef' });
    expect(response.status).toBe(202);
  });

  it('answers 401 with SendGrid errors for a wrong or missing API key, and stores nothing', async () => {
    const wrong = createEmailSender({ apiKey: 'SG.not-the-key', baseUrl: running.url });
    const error = await sendError(wrong.sendEmail({ to: 'ana@example.com', from: FROM, subject: 's', text: 't' }));
    expect(error).toMatchObject({ status: 401, permanent: true });
    expect(error.errors).toEqual([{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }]);

    const missing = await mailSend({}, null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ errors: [{ message: 'authorization required', field: null, help: null }] });
    expect(running.emulator.emails()).toHaveLength(0);
  });

  it('answers 400 naming every bad field, through the SDK and raw', async () => {
    const error = await sendError(email.sendEmail({ to: 'not-an-email', from: FROM, subject: 'Hi' }));
    expect(error).toMatchObject({ status: 400, permanent: true });
    expect(error.fields).toEqual(['personalizations.0.to.0.email', 'content']);
    expect(error.message).toContain('personalizations.0.to.0.email');

    const raw = await mailSend({ personalizations: [{ to: [] }], from: { email: 'nobody' }, content: [{ type: 'text/plain', value: '' }] });
    expect(raw.status).toBe(400);
    const { errors } = (await raw.json()) as { errors: Array<{ field: string | null; message: string; help: null }> };
    expect(errors.map((entry) => entry.field)).toEqual(['personalizations.0.to', 'from.email', 'subject', 'content.0.value']);
    expect(errors.every((entry) => typeof entry.message === 'string' && entry.message !== '' && entry.help === null)).toBe(true);

    expect(((await (await mailSend({ from: FROM, subject: 's', content: [{ type: 'text/plain', value: 'v' }] })).json()) as { errors: Array<{ field: string }> }).errors).toEqual([
      expect.objectContaining({ field: 'personalizations' }),
    ]);
    const broken = await fetch(`${running.url}/v3/mail/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEFAULT_SENDGRID_API_KEY}`, 'content-type': 'application/json' },
      body: '{"personalizations":',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ errors: [{ message: 'Bad Request', field: null, help: null }] });
    expect(running.emulator.emails()).toHaveLength(0);
  });

  it('answers SendGrid-style 404 and 405', async () => {
    const auth = { authorization: `Bearer ${DEFAULT_SENDGRID_API_KEY}` };
    const unknown = await fetch(`${running.url}/v3/marketing/contacts`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ errors: [{ message: 'resource not found', field: null, help: null }] });
    expect((await fetch(`${running.url}/v3/mail/send`, { headers: auth })).status).toBe(405);
  });
});

describe('Signed Event Webhook', () => {
  it('posts processed then delivered, echoing custom_args and categories, with sg_message_id built on X-Message-Id', async () => {
    const { messageId } = await email.sendEmail({
      to: 'ana@example.com',
      from: FROM,
      subject: 's',
      text: 't',
      customArgs: { instance_id: 'i-1', event: 'must-not-win' },
      categories: ['cart'],
    });
    const [processed, delivered] = await receiver.waitFor(2);
    expect(processed!.path).toBe('/webhooks/sendgrid');
    expect(processed!.headers['content-type']).toBe('application/json');
    expect(events(processed!)).toEqual([
      expect.objectContaining({ event: 'processed', email: 'ana@example.com', instance_id: 'i-1', category: ['cart'] }),
    ]);
    const [event] = events(delivered!);
    expect(event).toMatchObject({ event: 'delivered', email: 'ana@example.com', instance_id: 'i-1', response: '250 OK' });
    expect(event!.sg_message_id.startsWith(`${messageId}.`)).toBe(true);
    expect(event!.sg_event_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(event!.sg_event_id).not.toBe(events(processed!)[0]!.sg_event_id);
    expect(Math.abs(event!.timestamp - Date.now() / 1000)).toBeLessThan(5);
  });

  it('posts a bounce for bounce@ signed so that the exposed public key verifies it, and a tampered body fails', async () => {
    const { messageId } = await email.sendEmail({ to: 'bounce@example.com', from: FROM, subject: 's', text: 't', customArgs: { instance_id: 'i-2' } });
    const [, bounce] = await receiver.waitFor(2);
    const [event] = events(bounce!);
    expect(event).toMatchObject({ event: 'bounce', email: 'bounce@example.com', instance_id: 'i-2', type: 'bounce', status: '5.1.1' });
    expect(event!.sg_message_id.split('.')[0]).toBe(messageId);

    const signature = bounce!.headers['x-twilio-email-event-webhook-signature'] as string;
    const timestamp = bounce!.headers['x-twilio-email-event-webhook-timestamp'] as string;
    expect(timestamp).toMatch(/^\d{10}$/);
    const { publicKey } = (await (await fetch(`${running.url}/__emulator/sendgrid/event-webhook-public-key`)).json()) as { publicKey: string };
    expect(publicKey).toBe(running.emulator.sendgridEventWebhookPublicKey);
    expect(publicKey).toMatch(/^MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE[A-Za-z0-9+/]+=*$/); // base64 DER SPKI of a P-256 key

    expect(isValidSendGridEventSignature({ publicKey, payload: bounce!.body, signature, timestamp })).toBe(true);
    expect(isValidSendGridEventSignature({ publicKey, payload: bounce!.body.replace('bounce@', 'other@'), signature, timestamp })).toBe(false);
    expect(isValidSendGridEventSignature({ publicKey, payload: bounce!.body, signature, timestamp: String(Number(timestamp) + 1) })).toBe(false);
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(isValidSendGridEventSignature({ publicKey: otherKey, payload: bounce!.body, signature, timestamp })).toBe(false);

    await running.emulator.callbacksSettled();
    const [stored] = running.emulator.emails();
    expect(stored!.events.map((entry) => entry.event)).toEqual(['processed', 'bounce']);
    expect(stored!.webhookDeliveries.map((delivery) => [delivery.events, delivery.httpStatus])).toEqual([
      [['processed'], 200],
      [['bounce'], 200],
    ]);
  });

  it('drops dropped@ and handles several recipients, with personalization custom_args over mail-wide ones', async () => {
    const response = await mailSend({
      personalizations: [
        { to: [{ email: 'dropped+x@example.com' }], custom_args: { who: 'first' } },
        { to: [{ email: 'rui@example.com' }], cc: [{ email: 'bounce+cc@example.com' }] },
      ],
      from: FROM,
      subject: 's',
      content: [{ type: 'text/plain', value: 'v' }],
      custom_args: { who: 'everyone', campaign: 'spring' },
    });
    expect(response.status).toBe(202);
    const [processed, outcomes] = await receiver.waitFor(2);
    expect(events(processed!).map((event) => [event.event, event.email, event['who']])).toEqual([
      ['processed', 'dropped+x@example.com', 'first'],
      ['processed', 'rui@example.com', 'everyone'],
      ['processed', 'bounce+cc@example.com', 'everyone'],
    ]);
    expect(events(outcomes!).map((event) => [event.event, event.email, event['campaign']])).toEqual([
      ['dropped', 'dropped+x@example.com', 'spring'],
      ['delivered', 'rui@example.com', 'spring'],
      ['bounce', 'bounce+cc@example.com', 'spring'],
    ]);
  });

  it('signs with a PEM private key from settings and records events without a webhook URL', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const custom = await startEmulator({ sendgridEventWebhookPrivateKey: pem.replace(/\n/g, '\\n') });
    try {
      expect(custom.emulator.sendgridEventWebhookPublicKey).toBe(publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
      const sender = createEmailSender({ apiKey: DEFAULT_SENDGRID_API_KEY, baseUrl: custom.url });
      await sender.sendEmail({ to: 'dropped@example.com', from: FROM, subject: 's', text: 't' });
      await new Promise((resolve) => setTimeout(resolve, 80));
      const [stored] = custom.emulator.emails();
      expect(stored!.events.map((event) => event.event)).toEqual(['processed', 'dropped']);
      expect(stored!.webhookDeliveries).toEqual([]);
    } finally {
      await custom.emulator.close();
    }
  });
});
