import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { safeEqual } from './basic-auth';
import { HttpError, mediaType, readBody } from './http-io';
import { SendGridApiError } from './sendgrid-error';
import type { EmailStore, EmulatedEmail } from './sendgrid-email-store';
import type { SendGridEvents } from './sendgrid-events';
import { parseMailSendRequest } from './sendgrid-mail-request';

export const DEFAULT_SENDGRID_API_KEY = 'SG.emulator-key';

export interface SendGridApiContext {
  apiKey: string;
  emails: EmailStore;
  events: SendGridEvents;
}

/** SendGrid's v3 API, Mail Send only; throws SendGridApiError (rendered as `{ errors: [...] }` by the caller). */
export async function handleSendGridApi(req: IncomingMessage, res: ServerResponse, url: URL, ctx: SendGridApiContext): Promise<void> {
  authenticate(req, ctx.apiKey);
  if (url.pathname.replace(/\/+$/, '') !== '/v3/mail/send') throw SendGridApiError.single(404, 'resource not found');
  if (req.method !== 'POST') throw SendGridApiError.single(405, 'method not allowed');
  await mailSend(req, res, ctx);
}

/** `Authorization: Bearer <API key>`; SendGrid answers 401 for a missing header and for a wrong key alike. */
function authenticate(req: IncomingMessage, apiKey: string): void {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') throw SendGridApiError.single(401, 'authorization required');
  const key = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (key === undefined || !safeEqual(key, apiKey)) {
    throw SendGridApiError.single(401, 'The provided authorization grant is invalid, expired, or revoked');
  }
}

async function mailSend(req: IncomingMessage, res: ServerResponse, ctx: SendGridApiContext): Promise<void> {
  const raw = await readBody(req).catch((error: unknown) => {
    throw error instanceof HttpError ? SendGridApiError.single(error.status, error.message) : error;
  });
  const type = mediaType(req);
  if (type !== 'application/json') throw SendGridApiError.single(415, `Content-Type should be application/json, got '${type || 'none'}'.`);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw SendGridApiError.single(400, 'Bad Request');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw SendGridApiError.single(400, 'Bad Request');

  const request = parseMailSendRequest(body as Record<string, unknown>);
  const email: EmulatedEmail = {
    messageId: randomBytes(16).toString('base64url'),
    receivedAt: new Date().toISOString(),
    ...request,
    events: [],
    webhookDeliveries: [],
    request: body as Record<string, unknown>,
  };
  ctx.emails.add(email);
  res.writeHead(202, { 'x-message-id': email.messageId, 'content-length': '0' });
  res.end();
  ctx.events.start(email);
}
