import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, HttpCode, Inject, Post, Req, UseInterceptors } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import type { GatewayConfig } from '@continuum/config';
import type { Request } from 'express';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { InboundMessages } from '../conversations/inbound-messages.service';
import { GATEWAY_CONFIG } from '../core/tokens';
import { assertStorableText } from '../common/storable-text';
import { InboundWorkspaces } from './inbound-workspaces';

const MAX_BODY_CHARS = 20_000;

/**
 * Twilio SendGrid's Inbound Parse webhook: a customer's email (usually a reply) as
 * multipart/form-data (`from`, `to`, `subject`, `text`, `html`, `headers`, `envelope`, …).
 * SendGrid does not sign it, so the URL configured there carries a secret: `?token=`.
 */
@Controller('webhooks/sendgrid')
export class SendGridInboundController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly inbound: InboundMessages,
    private readonly workspaces: InboundWorkspaces,
  ) {}

  @Post('inbound')
  @HttpCode(200)
  // Attachments are accepted (SendGrid sends them as files) but not kept; 10 MB at most in all.
  @UseInterceptors(AnyFilesInterceptor({ limits: { fileSize: 10 * 1024 * 1024, files: 20 } }))
  async receive(
    @Req() request: Request,
  ): Promise<{ messageId: string; customerId: string; created: boolean; duplicate: boolean } | { refused: true; reason: string }> {
    const expected = this.config.SENDGRID_INBOUND_TOKEN;
    if (!expected) throw new GatewayException(GatewayErrorCode.Forbidden, 'Inbound email is not accepted: SENDGRID_INBOUND_TOKEN is not set');
    const token = typeof request.query['token'] === 'string' ? request.query['token'] : '';
    if (!sameSecret(token, expected)) throw new GatewayException(GatewayErrorCode.Forbidden, 'Invalid or missing token');
    const fields = (request.body ?? {}) as Record<string, unknown>;
    // Multipart fields are parsed by this route's interceptor, after the gateway-wide text check.
    assertStorableText(fields, '');
    const field = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined);
    const from = addressIn(field('from') ?? envelopeFrom(field('envelope')));
    if (!from) throw GatewayException.badInput('from', 'must hold the sender\'s email address (as "Name <address>" or the address)');
    const headers = field('headers') ?? '';
    const text = field('text') ?? htmlToText(field('html') ?? '');
    const body = replyText(text).slice(0, MAX_BODY_CHARS);
    const subject = (field('subject') ?? '').trim();
    if (body === '' && subject === '') throw GatewayException.badInput('text', 'the email has neither text nor a subject');
    // SendGrid retries a delivery it thinks failed: the Message-ID (else a digest of the mail) makes it one event.
    const messageHeader = /^message-id:\s*(.+)$/im.exec(headers)?.[1]?.trim();
    const id = messageHeader ?? createHash('sha256').update([from, field('to') ?? '', subject, text, /^date:\s*(.+)$/im.exec(headers)?.[1] ?? ''].join('\n')).digest('hex');
    const inReplyTo = /^in-reply-to:\s*(.+)$/im.exec(headers)?.[1]?.trim();
    // The inbox it was sent to is a workspace's; SendGrid retries any non-2xx for days, so an unassigned one is answered 200, refused and recorded.
    const recipients = [...addressesIn(field('to')), ...envelopeTo(field('envelope'))];
    const owner = await this.workspaces.resolve(recipients);
    if (!owner) {
      const reason = await this.workspaces.refuse({ provider: 'sendgrid', channel: 'email', to: (field('to') ?? recipients.join(', ')).trim(), from, providerMessageId: messageHeader });
      return { refused: true, reason };
    }
    const result = await this.inbound.receive(
      owner.principal,
      {
        channel: 'email',
        address: from,
        body,
        ...(subject ? { subject } : {}),
        messageId: `sendgrid:${id}`.slice(0, 200),
        properties: { from, to: field('to') ?? null, ...(inReplyTo ? { emailInReplyTo: inReplyTo } : {}) },
        receivedAt: new Date(),
      },
    );
    return { messageId: result.messageId, customerId: result.customerId, created: result.created, duplicate: result.duplicate };
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** `Ana Lima <ana@example.com>` → `ana@example.com`. */
export function addressIn(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const match = /<([^<>\s]+@[^<>\s]+)>/.exec(value) ?? /([^\s<>",;]+@[^\s<>",;]+\.[^\s<>",;]+)/.exec(value);
  return match?.[1]?.toLowerCase();
}

/** Every address in a To header (`Support <support@x.test>, b@y.test`), lower case. */
export function addressesIn(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/[^\s<>",;:]+@[^\s<>",;]+\.[^\s<>",;]+/g)].map((match) => match[0].toLowerCase());
}

function envelopeTo(envelope: string | undefined): string[] {
  if (!envelope) return [];
  try {
    const parsed = JSON.parse(envelope) as { to?: unknown };
    return Array.isArray(parsed.to) ? parsed.to.filter((entry): entry is string => typeof entry === 'string').flatMap((entry) => addressesIn(entry)) : [];
  } catch {
    return [];
  }
}

function envelopeFrom(envelope: string | undefined): string | undefined {
  if (!envelope) return undefined;
  try {
    const parsed = JSON.parse(envelope) as { from?: unknown };
    return typeof parsed.from === 'string' ? parsed.from : undefined;
  } catch {
    return undefined;
  }
}

/** The customer's own words: the quoted message they replied to is cut off. */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    if (/^\s*On .{3,200}wrote:\s*$/i.test(line) || /^\s*Em .{3,200}escreveu:\s*$/i.test(line) || /^\s*El .{3,200}escribió:\s*$/i.test(line)) break;
    if (/^\s*-{2,}\s*Original Message\s*-{2,}/i.test(line) || /^\s*From:\s.+@/i.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return kept.join('\n').trim();
}

function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div)\s*\/?>/gi, '\n')
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}
