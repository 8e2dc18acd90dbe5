import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteToBaseUrl } from './base-url-request-client';
import { createTwilioClient } from './twilio-client';

const ACCOUNT_SID = 'AC11111111111111111111111111111111';

describe('rewriteToBaseUrl', () => {
  it('replaces the origin and keeps path and query', () => {
    expect(rewriteToBaseUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&Page=1', 'http://127.0.0.1:4010')).toBe(
      'http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&Page=1',
    );
  });

  it('uses a path in the base URL as a prefix', () => {
    expect(rewriteToBaseUrl('https://api.twilio.com/2010-04-01/x.json', 'http://localhost:9000/twilio/')).toBe(
      'http://localhost:9000/twilio/2010-04-01/x.json',
    );
  });
});

describe('createTwilioClient with apiBaseUrl', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ method?: string; url?: string; authorization?: string; contentType?: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sid: 'SM00000000000000000000000000000001', status: 'delivered', date_created: 'Thu, 24 Aug 2023 05:01:45 +0000' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the SDK request, with Basic auth, to the base URL instead of api.twilio.com', async () => {
    const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: 'secret', apiBaseUrl: baseUrl });
    const message = await client.messages('SM00000000000000000000000000000001').fetch();

    expect(message.status).toBe('delivered');
    expect(message.dateCreated.toISOString()).toBe('2023-08-24T05:01:45.000Z');
    expect(seen.at(-1)).toMatchObject({
      method: 'GET',
      url: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/SM00000000000000000000000000000001.json`,
      authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:secret`).toString('base64')}`,
    });
  });

  it('posts form-encoded parameters', async () => {
    const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: 'secret', apiBaseUrl: baseUrl });
    await client.messages.create({ to: '+15005550006', from: '+15005550006', body: 'a&b=c' });
    const request = seen.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ To: '+15005550006', From: '+15005550006', Body: 'a&b=c' });
  });
});
