import { randomUUID } from 'node:crypto';
import { HttpError } from './http-io';

export interface InboundEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The Message-ID of the email this one answers (becomes `In-Reply-To`). */
  inReplyTo?: string;
  /** Webhook to post to; defaults to the emulator's inboundEmailWebhookUrl (SendGrid's Inbound Parse URL). */
  url: string;
}

const ADDRESS = /^[^\s<>@",;]+@[^\s<>@",;]+\.[^\s<>@",;]+$/;
const MAX_TEXT_CHARS = 100_000;

/** The address in `Ana Lima <ana@example.com>` or a bare address; undefined when there is none. */
function addressOf(value: string): string | undefined {
  const bare = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;
  return ADDRESS.test(bare.trim()) ? bare.trim() : undefined;
}

/** Validates `POST /__emulator/inbound-email` JSON: `{ from, to, subject?, text, html?, inReplyTo?, url? }`. */
export function parseInboundEmail(json: Record<string, unknown>, defaultUrl: string | undefined): InboundEmail {
  const missing = ['from', 'to', 'text'].filter((field) => typeof json[field] !== 'string' || (json[field] as string).trim() === '');
  if (missing.length > 0) {
    throw new HttpError(400, `Missing or empty string field(s): ${missing.join(', ')}; expected { from, to, subject?, text, html?, inReplyTo?, url? }`);
  }
  for (const field of ['subject', 'html', 'inReplyTo', 'url']) {
    if (json[field] !== undefined && typeof json[field] !== 'string') throw new HttpError(400, `'${field}' must be a string`);
  }
  const from = (json['from'] as string).trim();
  const to = (json['to'] as string).trim();
  if (!addressOf(from)) throw new HttpError(400, `'from' must be an email address (or "Name <address>"), got '${from}'`);
  if (!addressOf(to)) throw new HttpError(400, `'to' must be an email address (or "Name <address>"), got '${to}'`);
  const subject = ((json['subject'] as string | undefined) ?? '').trim();
  if (/[\r\n]/.test(subject)) throw new HttpError(400, "'subject' must be one line (an email header)");
  const text = json['text'] as string;
  if (text.length > MAX_TEXT_CHARS) throw new HttpError(400, `'text' must be at most ${MAX_TEXT_CHARS} characters, got ${text.length}`);
  const url = (json['url'] as string | undefined)?.trim() || defaultUrl;
  if (!url) {
    throw new HttpError(400, 'No webhook to post to: set EMULATOR_SENDGRID_INBOUND_WEBHOOK_URL or pass "url" in the body');
  }
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) throw new HttpError(400, `'url' must be an http(s) URL, got '${url}'`);
  const inReplyTo = (json['inReplyTo'] as string | undefined)?.trim();
  const html = json['html'] as string | undefined;
  return { from, to, subject, text, ...(html ? { html } : {}), ...(inReplyTo ? { inReplyTo } : {}), url };
}

/**
 * The multipart/form-data body SendGrid's Inbound Parse posts for a received email (the default,
 * parsed mode: `headers`, `from`, `to`, `subject`, `text`, `html`, `envelope`, `charsets`, `SPF`, …).
 */
export async function inboundParseRequest(email: InboundEmail, at: Date = new Date()): Promise<{ messageId: string; contentType: string; body: Buffer }> {
  const messageId = `<${randomUUID()}@emulator.sendgrid.test>`;
  const headers = [
    `Date: ${at.toUTCString()}`,
    `From: ${email.from}`,
    `To: ${email.to}`,
    `Subject: ${email.subject}`,
    `Message-ID: ${messageId}`,
    ...(email.inReplyTo ? [`In-Reply-To: ${email.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    `Content-Type: ${email.html ? 'multipart/alternative' : 'text/plain; charset=UTF-8'}`,
  ].join('\n');
  const form = new FormData();
  form.set('headers', headers);
  form.set('dkim', '{@emulator.sendgrid.test : pass}');
  form.set('to', email.to);
  form.set('from', email.from);
  form.set('subject', email.subject);
  form.set('text', email.text);
  if (email.html) form.set('html', email.html);
  form.set('sender_ip', '127.0.0.1');
  form.set('envelope', JSON.stringify({ to: [addressOf(email.to)], from: addressOf(email.from) }));
  form.set('attachments', '0');
  form.set('charsets', JSON.stringify({ to: 'UTF-8', from: 'UTF-8', subject: 'UTF-8', text: 'UTF-8', ...(email.html ? { html: 'UTF-8' } : {}) }));
  form.set('SPF', 'pass');
  // The platform's own multipart encoder (boundary and all), as a fetch would send it.
  const request = new Request('http://inbound-parse.invalid/', { method: 'POST', body: form });
  return { messageId, contentType: request.headers.get('content-type')!, body: Buffer.from(await request.arrayBuffer()) };
}
