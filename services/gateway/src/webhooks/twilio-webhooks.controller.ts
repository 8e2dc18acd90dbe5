import { Body, Controller, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import type { MessageChannel } from '@continuum/contracts';
import { ConsentStore, MessagingPolicies, ProfileStore } from '@continuum/data';
import type { Channel } from '@continuum/domain';
import { confirmationRequest, inboundKeyword, keywordReply } from './inbound-keywords';
import { InboundWorkspaces } from './inbound-workspaces';
import { twilioDeliveryReport } from '@continuum/temporal';
import { isValidTwilioSignature } from '@continuum/twilio';
import type { Request } from 'express';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG } from '../core/tokens';
import { InboundMessages } from '../conversations/inbound-messages.service';
import { DeliveryNotifier } from './delivery-notifier';

/** A keyword applies to every purpose on its channel (and to those the customer has on record). */
const PURPOSES = ['marketing', 'transactional'];

/** Twilio webhooks: accepted only with a valid X-Twilio-Signature for our public URL. */
@Controller('webhooks/twilio')
export class TwilioWebhooksController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly deliveries: DeliveryNotifier,
    private readonly inboundMessages: InboundMessages,
    private readonly consents: ConsentStore,
    private readonly policies: MessagingPolicies,
    private readonly profiles: ProfileStore,
    private readonly inboundWorkspaces: InboundWorkspaces,
  ) {}

  @Post('status')
  @HttpCode(204)
  async status(@Req() request: Request, @Body() body: Record<string, string>): Promise<void> {
    this.verify(request, body);
    const sid = body['MessageSid'];
    const status = body['MessageStatus'];
    if (!sid || !status) throw GatewayException.badInput('body', 'MessageSid and MessageStatus are required');
    // `m` (our outbox id, in the callback URL we gave) finds a message whose send has not recorded the sid yet.
    const outboxId = typeof request.query['m'] === 'string' ? request.query['m'] : undefined;
    const report = twilioDeliveryReport({ sid, status, errorCode: body['ErrorCode'] }, outboxId);
    // "accepted"/"sending" record nothing; unknown sids are acknowledged too (Twilio would otherwise retry).
    if (report) await this.deliveries.report(report);
  }

  @Post('inbound')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async inbound(@Req() request: Request, @Body() body: Record<string, string>): Promise<string> {
    this.verify(request, body);
    const from = body['From'];
    const sid = body['MessageSid'];
    if (!from || !sid) throw GatewayException.badInput('body', 'From and MessageSid are required');
    const channel: MessageChannel = from.startsWith('whatsapp:') ? 'whatsapp' : from.startsWith('rcs:') ? 'rcs' : Number(body['NumMedia'] ?? 0) > 0 ? 'mms' : 'sms';
    // The number it was sent to is a workspace's (its policy, or INBOUND_DEFAULT_ADDRESSES for the default one); any other is refused.
    const to = (body['To'] ?? '').replace(/^(whatsapp|rcs):/, '');
    const principal = to === '' ? undefined : (await this.inboundWorkspaces.resolve([to]))?.principal;
    if (!principal) {
      const reason = await this.inboundWorkspaces.refuse({ provider: 'twilio', channel, to: body['To'] ?? '', from, providerMessageId: sid });
      throw new GatewayException(GatewayErrorCode.NotFound, `To: ${reason}`, 'To');
    }
    const address = from.replace(/^(whatsapp|rcs):/, '');
    const text = body['Body'] ?? '';
    // Keywords and replies are the workspace's policy for the customer's country (their locale picks the reply).
    const customers = await this.inboundMessages.customersAt(principal.workspaceId, channel, address);
    const profile = customers[0] === undefined ? undefined : await this.profiles.get(principal.workspaceId, customers[0]);
    const rules = await this.policies.rulesFor(principal.workspaceId, profile?.country ?? undefined);
    const consentChannel: Channel = channel === 'whatsapp' ? 'whatsapp' : 'sms';
    // While a double opt-in waits for this address, YES (and the policy's local words) confirms it.
    const pending = await this.consents.pendingConfirmation(principal.workspaceId, customers, consentChannel);
    const keyword = inboundKeyword(text, rules, { confirming: pending.length > 0 });
    const doubleOptIn = rules.consent?.[consentChannel] === 'double_opt_in';
    const locale = profile?.locale ?? (keyword?.language && keyword.language !== 'und' ? keyword.language : undefined);
    const now = new Date();
    const detail = { messageSid: sid, from };
    let reply = keyword ? keywordReply(keyword, rules, profile?.locale ?? undefined) : undefined;
    // A consent keyword takes effect at once, for every customer at that address, before Twilio hears 200.
    if (keyword?.kind === 'confirm') {
      for (const waiting of pending) {
        await this.consents.applyToChannel(principal.workspaceId, waiting.customerId, consentChannel, PURPOSES, 'subscribed', `inbound:${keyword.word}`, now, {
          ...detail,
          doubleOptIn: 'confirmed',
          requestedAt: new Date(waiting.since).toISOString(),
          requestedBy: waiting.source,
        });
      }
    } else if (keyword?.kind === 'start' && doubleOptIn) {
      // Double opt-in: the grant waits for the customer's YES; a customer already subscribed is left as is.
      let asked = customers.length === 0;
      for (const customerId of customers) {
        const status = await this.consents.statusOf(principal.workspaceId, customerId, consentChannel, 'marketing');
        if (status === 'subscribed') continue;
        asked = true;
        if (status === 'pending') continue;
        await this.consents.applyToChannel(principal.workspaceId, customerId, consentChannel, PURPOSES, 'pending', `inbound:${keyword.word}`, now, { ...detail, doubleOptIn: 'requested' });
      }
      if (asked) reply = confirmationRequest(rules, locale);
    } else if (keyword && keyword.kind !== 'help') {
      for (const customerId of customers) {
        await this.consents.applyToChannel(
          principal.workspaceId,
          customerId,
          consentChannel,
          PURPOSES,
          keyword.kind === 'stop' ? 'unsubscribed' : 'subscribed',
          `inbound:${keyword.word}`,
          now,
          detail,
        );
      }
    }
    const media = Array.from({ length: Math.min(Number(body['NumMedia'] ?? 0) || 0, 10) }, (_, index) => body[`MediaUrl${index}`]).filter(Boolean);
    // Stored before Twilio hears 200, then routed to journeys and to the customer's conversation.
    const received = await this.inboundMessages.receive(principal, {
      channel,
      address,
      body: text,
      messageId: `twilio:${sid}`,
      properties: {
        from,
        to: body['To'] ?? null,
        providerId: sid,
        ...(media.length > 0 ? { mediaUrls: media } : {}),
        ...(keyword ? { keyword: keyword.word, keywordKind: keyword.kind } : {}),
      },
      receivedAt: now,
      // A YES that confirms consent answers the confirmation request, not a journey's message.
      ...(keyword?.kind === 'confirm' ? { correlate: false } : {}),
    });
    // Someone new who writes START under double opt-in: their grant waits for their YES too.
    if (keyword?.kind === 'start' && doubleOptIn && customers.length === 0 && received.created && !received.duplicate) {
      await this.consents.applyToChannel(principal.workspaceId, received.customerId, consentChannel, PURPOSES, 'pending', `inbound:${keyword.word}`, now, { ...detail, doubleOptIn: 'requested' });
    }
    return twiml(reply);
  }

  private verify(request: Request, params: Record<string, string>): void {
    const signature = request.header('x-twilio-signature');
    const base = (this.config.GATEWAY_PUBLIC_URL ?? `http://127.0.0.1:${this.config.GATEWAY_PORT}`).replace(/\/$/, '');
    const url = `${base}${request.originalUrl}`;
    if (!signature || !isValidTwilioSignature({ authToken: this.config.TWILIO_AUTH_TOKEN, signature, url, params })) {
      throw new GatewayException(GatewayErrorCode.Forbidden, 'Invalid or missing X-Twilio-Signature');
    }
  }
}

/** Twilio's answer: empty, or one reply message (HELP). */
function twiml(reply: string | undefined): string {
  const message = reply === undefined ? '' : `<Message>${escapeXml(reply)}</Message>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${message}</Response>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

