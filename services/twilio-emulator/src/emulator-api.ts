import type { IncomingMessage, ServerResponse } from 'node:http';
import { channelOf } from './addresses';
import type { EmulatorLogger } from './emulator-logger';
import { HttpError, mediaType, parseJsonObject, readBody, sendJson, sendNoContent } from './http-io';
import { inboundParseRequest, parseInboundEmail } from './inbound-email';
import { inboundWebhookParams, parseInboundMessage } from './inbound-message';
import type { MessageStore } from './message-store';
import type { EmailStore } from './sendgrid-email-store';
import type { SendGridEvents } from './sendgrid-events';
import { newSid } from './sid';
import type { StatusProgression } from './status-progression';
import { postSignedForm, postWithRetries } from './webhook-poster';
import type { WhatsAppSessions } from './whatsapp-sessions';

export interface EmulatorApiContext {
  accountSid: string;
  authToken: string;
  inboundWebhookUrl: string | undefined;
  /** SendGrid Inbound Parse URL (the gateway's, with its token) that `POST /__emulator/inbound-email` posts to. */
  inboundEmailWebhookUrl: string | undefined;
  callbackTimeoutMs: number;
  store: MessageStore;
  progression: StatusProgression;
  whatsAppSessions: WhatsAppSessions;
  emails: EmailStore;
  sendGridEvents: SendGridEvents;
  /** Base64 DER public key that verifies the SendGrid Event Webhook signatures. */
  sendGridEventWebhookPublicKey: string;
  /** Aborted when the emulator closes. */
  signal: () => AbortSignal;
  logger: EmulatorLogger;
}

/** The emulator's own endpoints under /__emulator (no auth: it listens on loopback for development and tests). */
export async function handleEmulatorApi(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EmulatorApiContext): Promise<void> {
  const route = `${req.method ?? ''} ${url.pathname.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /__emulator/health':
      return sendJson(res, 200, { ok: true });
    case 'GET /__emulator/messages':
      return sendJson(res, 200, { messages: ctx.store.all() });
    case 'DELETE /__emulator/messages':
      ctx.progression.cancelAll();
      ctx.store.clear();
      ctx.whatsAppSessions.clear();
      return sendNoContent(res);
    case 'POST /__emulator/inbound':
      return injectInbound(req, res, ctx);
    case 'POST /__emulator/inbound-email':
      return injectInboundEmail(req, res, ctx);
    case 'GET /__emulator/emails':
      return sendJson(res, 200, { emails: ctx.emails.all() });
    case 'DELETE /__emulator/emails':
      ctx.sendGridEvents.cancelAll();
      ctx.emails.clear();
      return sendNoContent(res);
    case 'GET /__emulator/sendgrid/event-webhook-public-key':
      return sendJson(res, 200, { publicKey: ctx.sendGridEventWebhookPublicKey });
    default:
      throw new HttpError(404, `No emulator route ${route}`);
  }
}

async function injectInbound(req: IncomingMessage, res: ServerResponse, ctx: EmulatorApiContext): Promise<void> {
  const raw = await readBody(req);
  const type = mediaType(req);
  if (type !== 'application/json' && type !== '') throw new HttpError(415, `Send application/json, got '${type}'`);
  const message = parseInboundMessage(parseJsonObject(raw), ctx.inboundWebhookUrl);
  // Twilio has the message whatever the webhook answers, so the customer's WhatsApp window opens regardless.
  if (channelOf(message.from) === 'whatsapp') ctx.whatsAppSessions.recordInbound(message.from, message.to, message.at);
  const sid = newSid('SM');
  const result = await postSignedForm(message.url, inboundWebhookParams(ctx.accountSid, sid, message), {
    authToken: ctx.authToken,
    signal: ctx.signal(),
    timeoutMs: ctx.callbackTimeoutMs,
    maxAttempts: 1,
  });
  ctx.logger(result.httpStatus === null ? 'warn' : 'info', 'inbound message posted', { sid, url: message.url, ...result });
  if (result.httpStatus === null) {
    return sendJson(res, 502, { sid, webhookStatus: null, error: `Webhook ${message.url} unreachable: ${result.error}` });
  }
  sendJson(res, 200, { sid, webhookStatus: result.httpStatus });
}

/** A customer's email, posted the way SendGrid's Inbound Parse does (multipart/form-data, unsigned: the URL carries a secret). */
async function injectInboundEmail(req: IncomingMessage, res: ServerResponse, ctx: EmulatorApiContext): Promise<void> {
  const raw = await readBody(req);
  const type = mediaType(req);
  if (type !== 'application/json' && type !== '') throw new HttpError(415, `Send application/json, got '${type}'`);
  const email = parseInboundEmail(parseJsonObject(raw), ctx.inboundEmailWebhookUrl);
  const { messageId, contentType, body } = await inboundParseRequest(email);
  const result = await postWithRetries(email.url, { 'content-type': contentType, 'user-agent': 'Sendlib/1.0 (emulator)' }, body, {
    signal: ctx.signal(),
    timeoutMs: ctx.callbackTimeoutMs,
    maxAttempts: 1,
  });
  // The token in the URL is a secret: the log names the path only.
  ctx.logger(result.httpStatus === null ? 'warn' : 'info', 'inbound email posted', { messageId, path: new URL(email.url).pathname, ...result });
  if (result.httpStatus === null) {
    return sendJson(res, 502, { messageId, webhookStatus: null, error: `Webhook ${new URL(email.url).origin}${new URL(email.url).pathname} unreachable: ${result.error}` });
  }
  sendJson(res, 200, { messageId, webhookStatus: result.httpStatus });
}
