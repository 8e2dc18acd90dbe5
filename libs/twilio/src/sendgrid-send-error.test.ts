import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailSender } from './email-sender';
import { isPermanentSendGridStatus, SendGridSendError, toSendGridSendError } from './sendgrid-send-error';

describe('isPermanentSendGridStatus', () => {
  it('treats every 4xx but 429 as permanent; 429, 5xx and no answer as transient', () => {
    for (const status of [400, 401, 403, 404, 413]) expect(isPermanentSendGridStatus(status)).toBe(true);
    for (const status of [429, 500, 502, 503, null]) expect(isPermanentSendGridStatus(status)).toBe(false);
  });
});

describe('toSendGridSendError', () => {
  it('returns a SendGridSendError unchanged and treats a request the client refused to build as permanent', () => {
    const original = new SendGridSendError('x', { status: 400, errors: [], permanent: true });
    expect(toSendGridSendError(original)).toBe(original);
    expect(toSendGridSendError(new Error('Provide at least one of to, cc or bcc'))).toMatchObject({ status: null, permanent: true });
  });
});

describe('createEmailSender error mapping over the wire', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function answering(status: number, body: unknown): Promise<string> {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const request = { to: 'ana@example.com', from: { email: 'shop@example.com' }, subject: 's', text: 't' };

  it('keeps SendGrid’s errors with their fields', async () => {
    const baseUrl = await answering(400, {
      errors: [
        { message: 'Does not contain a valid address.', field: 'personalizations.0.to.0.email', help: null },
        { message: 'The subject is required.', field: 'subject', help: 'https://example.invalid/help' },
      ],
    });
    const error = await createEmailSender({ apiKey: 'SG.k', baseUrl }).sendEmail(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendGridSendError);
    expect(error).toMatchObject({ name: 'SendGridSendError', status: 400, permanent: true, fields: ['personalizations.0.to.0.email', 'subject'] });
    expect((error as SendGridSendError).errors[1]).toEqual({ message: 'The subject is required.', field: 'subject', help: 'https://example.invalid/help' });
    expect((error as Error).message).toBe(
      'SendGrid error (HTTP 400): personalizations.0.to.0.email: Does not contain a valid address.; subject: The subject is required.',
    );
  });

  it('keeps 429 and 5xx retryable', async () => {
    const throttled = await answering(429, { errors: [{ message: 'too many requests', field: null, help: null }] });
    expect(await createEmailSender({ apiKey: 'SG.k', baseUrl: throttled }).sendEmail(request).catch((e: unknown) => e)).toMatchObject({
      status: 429,
      permanent: false,
    });
    server!.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const broken = await answering(503, 'unavailable');
    expect(await createEmailSender({ apiKey: 'SG.k', baseUrl: broken }).sendEmail(request).catch((e: unknown) => e)).toMatchObject({
      status: 503,
      errors: [],
      permanent: false,
    });
  });

  it('turns a refused connection into a retryable error without a status', async () => {
    const baseUrl = await answering(202, {});
    server!.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const error = await createEmailSender({ apiKey: 'SG.k', baseUrl }).sendEmail(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: null, permanent: false });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('refuses a 202 without X-Message-Id as permanent: the email went out, a retry would send it twice', async () => {
    const baseUrl = await answering(202, '');
    const error = await createEmailSender({ apiKey: 'SG.k', baseUrl }).sendEmail(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 202, permanent: true });
  });
});
