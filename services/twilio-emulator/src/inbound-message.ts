import { bareNumber, channelOf, isValidRecipient } from './addresses';
import { HttpError } from './http-io';
import { API_VERSION } from './message-resource';
import { countSegments } from './segments';

export interface InboundMessage {
  from: string;
  to: string;
  body: string;
  /** Webhook to post to; defaults to the emulator's inboundWebhookUrl. */
  url: string;
  /** When the customer sent it (default now); only the WhatsApp session window uses it, the webhook is posted now. */
  at: Date;
}

/** Validates `POST /__emulator/inbound` JSON: `{ from, to, body, url?, at? }`. */
export function parseInboundMessage(json: Record<string, unknown>, defaultUrl: string | undefined): InboundMessage {
  const missing = ['from', 'to', 'body'].filter((field) => typeof json[field] !== 'string' || (json[field] as string).trim() === '');
  if (missing.length > 0) {
    throw new HttpError(400, `Missing or empty string field(s): ${missing.join(', ')}; expected { from, to, body, url? }`);
  }
  const from = (json['from'] as string).trim();
  const to = (json['to'] as string).trim();
  if (!isValidRecipient(from)) throw new HttpError(400, `'from' must be an E.164 number, got '${from}'`);
  if (!isValidRecipient(to)) throw new HttpError(400, `'to' must be an E.164 number, got '${to}'`);
  if (channelOf(from) !== channelOf(to)) {
    throw new HttpError(400, `'from' and 'to' must be on the same channel (both whatsapp: or neither), got '${from}' and '${to}'`);
  }
  const at = parseAt(json['at']);
  if (json['url'] !== undefined && typeof json['url'] !== 'string') throw new HttpError(400, "'url' must be a string");
  const url = (json['url'] as string | undefined)?.trim() || defaultUrl;
  if (!url) {
    throw new HttpError(400, 'No webhook to post to: set EMULATOR_INBOUND_WEBHOOK_URL or pass "url" in the body');
  }
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) throw new HttpError(400, `'url' must be an http(s) URL, got '${url}'`);
  return { from, to, body: json['body'] as string, url, at };
}

function parseAt(value: unknown): Date {
  if (value === undefined) return new Date();
  const at = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : null;
  if (at === null || Number.isNaN(at.getTime())) {
    throw new HttpError(400, `'at' must be an ISO-8601 timestamp such as 2025-01-31T09:00:00Z, got ${JSON.stringify(value)}`);
  }
  return at;
}

/** The form fields Twilio posts to a number's messaging webhook for an incoming SMS. */
export function inboundWebhookParams(accountSid: string, sid: string, message: InboundMessage): Record<string, string> {
  // WhatsApp adds the sender's WhatsApp ID (the number without '+').
  const whatsApp: Record<string, string> = channelOf(message.from) === 'whatsapp' ? { WaId: bareNumber(message.from).slice(1) } : {};
  return {
    ...whatsApp,
    AccountSid: accountSid,
    ApiVersion: API_VERSION,
    Body: message.body,
    From: message.from,
    MessageSid: sid,
    NumMedia: '0',
    NumSegments: String(countSegments(message.body)),
    SmsMessageSid: sid,
    SmsSid: sid,
    SmsStatus: 'received',
    To: message.to,
  };
}
