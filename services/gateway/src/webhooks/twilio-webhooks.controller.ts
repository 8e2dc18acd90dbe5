import { Body, Controller, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, MessageStore, ProfileStore, type MessageStatus } from '@continuum/data';
import { isValidTwilioSignature } from '@continuum/twilio';
import type { Request } from 'express';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG } from '../core/tokens';
import { EventsService } from '../events/events.service';

const PROVIDER_STATUSES: ReadonlySet<string> = new Set(['queued', 'sent', 'delivered', 'undelivered', 'failed']);

/** Twilio webhooks: accepted only with a valid X-Twilio-Signature for our public URL. */
@Controller('webhooks/twilio')
export class TwilioWebhooksController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly messages: MessageStore,
    private readonly events: EventsService,
    private readonly profiles: ProfileStore,
  ) {}

  @Post('status')
  @HttpCode(204)
  async status(@Req() request: Request, @Body() body: Record<string, string>): Promise<void> {
    this.verify(request, body);
    const sid = body['MessageSid'];
    const status = body['MessageStatus'];
    if (!sid || !status) throw GatewayException.badInput('body', 'MessageSid and MessageStatus are required');
    if (!PROVIDER_STATUSES.has(status)) return; // e.g. "accepted"/"sending": nothing to record
    const errorCode = body['ErrorCode'] ? Number(body['ErrorCode']) : null;
    await this.messages.applyProviderStatus(sid, status as MessageStatus, Number.isFinite(errorCode) ? errorCode : null);
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
    const profile = await this.profiles.findByPhone(workspaceId, from);
    const now = new Date();
    // Stored before Twilio hears 200, then routed through the outbox like every other event.
    await this.events.acceptAll({ workspaceId, workspaceSlug: 'default' }, [{
      messageId: `twilio:${sid}`,
      userId: profile?.userId ?? from,
      type: 'track',
      name: 'Message Received',
      properties: { channel: 'sms', from, to: body['To'] ?? null, body: body['Body'] ?? '', providerId: sid },
      timestamp: now,
      receivedAt: now,
    }], { source: 'webhook' });
    return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
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
