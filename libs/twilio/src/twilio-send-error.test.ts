import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import TwilioServiceException from 'twilio/lib/base/TwilioServiceException';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmsSender } from './sms-sender';
import { isPermanentTwilioError, toTwilioSendError, TwilioSendError } from './twilio-send-error';

const ACCOUNT_SID = 'AC00000000000000000000000000000000';

function restException(statusCode: number, body: Record<string, unknown>) {
  return new twilio.RestException({ statusCode, body });
}

describe('isPermanentTwilioError', () => {
  it.each([21211, 21212, 21408, 21602, 21603, 21604, 21606, 21610, 21612, 21614, 21617, 21620, 21654, 21655, 21656, 21701, 21705, 21910, 63016, 63106])('%i is permanent', (code) => {
    expect(isPermanentTwilioError(code)).toBe(true);
  });

  it('treats throttling, full queues, auth, server and network failures as retryable', () => {
    expect(isPermanentTwilioError(20429, 429)).toBe(false);
    expect(isPermanentTwilioError(21611, 400)).toBe(false);
    expect(isPermanentTwilioError(20003, 401)).toBe(false);
    expect(isPermanentTwilioError(20500, 500)).toBe(false);
    expect(isPermanentTwilioError(null, null)).toBe(false);
  });

  it('falls back on the HTTP status for codes it does not know', () => {
    expect(isPermanentTwilioError(29999, 400)).toBe(true);
    expect(isPermanentTwilioError(20404, 404)).toBe(true);
    expect(isPermanentTwilioError(29999, 503)).toBe(false);
  });
});

describe('toTwilioSendError', () => {
  it('maps a RestException to code, status, more info and permanence', () => {
    const error = toTwilioSendError(
      restException(400, {
        code: 21211,
        message: "The 'To' number +1234 is not a valid phone number.",
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      }),
    );
    expect(error).toBeInstanceOf(TwilioSendError);
    expect(error).toMatchObject({
      code: 21211,
      httpStatus: 400,
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
      permanent: true,
    });
    expect(error.message).toContain("The 'To' number +1234 is not a valid phone number.");
    expect(error.cause).toBeInstanceOf(twilio.RestException);
  });

  it('keeps 429 and 5xx retryable', () => {
    expect(toTwilioSendError(restException(429, { code: 20429, message: 'Too Many Requests', status: 429 })).permanent).toBe(false);
    expect(toTwilioSendError(restException(503, { code: 20503, message: 'Service unavailable', status: 503 })).permanent).toBe(false);
  });

  it('survives a non-JSON error body', () => {
    const error = toTwilioSendError(new twilio.RestException({ statusCode: 502, body: '<html>Bad Gateway</html>' }));
    expect(error).toMatchObject({ code: null, httpStatus: 502, permanent: false });
  });

  it('maps an RFC 9457 TwilioServiceException', () => {
    const error = toTwilioSendError(
      new TwilioServiceException({
        statusCode: 400,
        body: {
          type: 'https://www.twilio.com/docs/errors/21610',
          title: 'Unsubscribed recipient',
          status: 400,
          code: 21610,
          detail: 'Attempt to send to unsubscribed recipient',
        },
      }),
    );
    expect(error).toMatchObject({
      code: 21610,
      httpStatus: 400,
      moreInfo: 'https://www.twilio.com/docs/errors/21610',
      permanent: true,
    });
    expect(error.message).toContain('Attempt to send to unsubscribed recipient');
  });

  it('returns a TwilioSendError unchanged', () => {
    const original = new TwilioSendError('x', { code: 1, httpStatus: 400, moreInfo: null, permanent: true });
    expect(toTwilioSendError(original)).toBe(original);
  });
});

describe('createSmsSender error mapping over the wire', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('turns a refused connection into a retryable TwilioSendError without an HTTP status', async () => {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;

    const sender = createSmsSender({ accountSid: ACCOUNT_SID, authToken: 't', apiBaseUrl: `http://127.0.0.1:${port}` });
    const error = await sender.sendSms({ to: '+15005550006', from: '+15005550006', body: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioSendError);
    expect(error).toMatchObject({ code: null, httpStatus: null, permanent: false });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('maps the error JSON a Twilio-compatible API answers with', async () => {
    server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const sender = createSmsSender({ accountSid: ACCOUNT_SID, authToken: 't', apiBaseUrl: `http://127.0.0.1:${port}` });
    const error = await sender.sendSms({ to: '+15005550004', from: '+15005550006', body: 'hi' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TwilioSendError', code: 21610, httpStatus: 400, permanent: true });
  });
});
