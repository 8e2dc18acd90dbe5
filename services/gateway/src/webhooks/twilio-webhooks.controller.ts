import { Body, Controller, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { ConsentStore, DEFAULT_WORKSPACE_ID, IdentityStore, ProfileStore } from '@continuum/data';
import type { Channel } from '@continuum/domain';
import { inboundKeyword } from './inbound-keywords';
import { twilioDeliveryReport } from '@continuum/temporal';
import { isValidTwilioSignature } from '@continuum/twilio';
import type { Request } from 'express';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG } from '../core/tokens';
import { EventsService } from '../events/events.service';
import { DeliveryNotifier } from './delivery-notifier';

/** Twilio webhooks: accepted only with a valid X-Twilio-Signature for our public URL. */
@Controller('webhooks/twilio')
export class TwilioWebhooksController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly deliveries: DeliveryNotifier,
    private readonly events: EventsService,
    private readonly profiles: ProfileStore,
    private readonly identities: IdentityStore,
    private readonly consents: ConsentStore,
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
    // Until numbers are assigned to workspaces (messaging issue), inbound lands in the default one.
    const workspaceId = DEFAULT_WORKSPACE_ID;
    const channel: Channel = from.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
    const address = from.replace(/^whatsapp:/, '');
    const customers = await this.identities.customersAt(workspaceId, channel === 'whatsapp' ? ['whatsapp', 'phone'] : ['phone'], address);
    const customer = customers[0] ?? (await this.profiles.findByPhone(workspaceId, address))?.userId;
    const text = body['Body'] ?? '';
    const keyword = inboundKeyword(text, this.config);
    const now = new Date();
    // A STOP takes effect at once, for every customer at that address, before Twilio hears 200.
    if (keyword && keyword.kind !== 'help') {
      for (const customerId of customers.length > 0 ? customers : customer ? [customer] : []) {
        await this.consents.applyToChannel(
          workspaceId,
          customerId,
          channel,
          ['marketing', 'transactional'],
          keyword.kind === 'stop' ? 'unsubscribed' : 'subscribed',
          `inbound:${keyword.word}`,
          now,
          { messageSid: sid, from },
        );
      }
    }
    // Stored before Twilio hears 200, then routed through the outbox like every other event.
    await this.events.acceptAll({ workspaceId, workspaceSlug: 'default' }, [
      {
        messageId: `twilio:${sid}`,
        userId: customer ?? address,
        type: 'track',
        name: 'Message Received',
        properties: { channel, from, to: body['To'] ?? null, body: text, providerId: sid, ...(keyword ? { keyword: keyword.word, keywordKind: keyword.kind } : {}) },
        timestamp: now,
        receivedAt: now,
      },
    ], { source: 'webhook' });
    return twiml(keyword?.kind === 'help' ? this.config.INBOUND_HELP_REPLY : undefined);
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

