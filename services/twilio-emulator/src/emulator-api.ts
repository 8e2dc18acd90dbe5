import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorLogger } from './emulator-logger';
import { HttpError, mediaType, parseJsonObject, readBody, sendJson, sendNoContent } from './http-io';
import { inboundWebhookParams, parseInboundMessage } from './inbound-message';
import type { MessageStore } from './message-store';
import { newSid } from './sid';
import type { StatusProgression } from './status-progression';
import { postSignedForm } from './webhook-poster';

export interface EmulatorApiContext {
  accountSid: string;
  authToken: string;
  inboundWebhookUrl: string | undefined;
  callbackTimeoutMs: number;
  store: MessageStore;
  progression: StatusProgression;
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
      return sendNoContent(res);
    case 'POST /__emulator/inbound':
      return injectInbound(req, res, ctx);
    default:
      throw new HttpError(404, `No emulator route ${route}`);
  }
}

async function injectInbound(req: IncomingMessage, res: ServerResponse, ctx: EmulatorApiContext): Promise<void> {
  const raw = await readBody(req);
  const type = mediaType(req);
  if (type !== 'application/json' && type !== '') throw new HttpError(415, `Send application/json, got '${type}'`);
  const message = parseInboundMessage(parseJsonObject(raw), ctx.inboundWebhookUrl);
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
