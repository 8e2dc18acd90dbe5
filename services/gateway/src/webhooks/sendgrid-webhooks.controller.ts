import { Controller, HttpCode, Inject, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import type { MessageStatus } from '@continuum/data';
import { isValidSendGridEventSignature } from '@continuum/twilio';
import type { Request } from 'express';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG } from '../core/tokens';
import { DeliveryNotifier } from './delivery-notifier';

/** SendGrid event → the message status it means; other events (deferred, click, …) change nothing. */
const EVENT_STATUS: Readonly<Record<string, MessageStatus>> = {
  processed: 'sent',
  delivered: 'delivered',
  open: 'read',
  bounce: 'failed',
  dropped: 'failed',
};

/** Twilio SendGrid's Event Webhook: accepted only with a valid ECDSA signature over the raw body. */
@Controller('webhooks/sendgrid')
export class SendGridWebhooksController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly deliveries: DeliveryNotifier,
  ) {}

  @Post('events')
  @HttpCode(204)
  async events(@Req() request: RawBodyRequest<Request>): Promise<void> {
    const publicKey = this.config.SENDGRID_WEBHOOK_PUBLIC_KEY;
    if (!publicKey) throw new GatewayException(GatewayErrorCode.Forbidden, 'SendGrid events are not accepted: SENDGRID_WEBHOOK_PUBLIC_KEY is not set');
    const valid = isValidSendGridEventSignature({
      publicKey,
      payload: request.rawBody ?? Buffer.alloc(0),
      signature: request.header('x-twilio-email-event-webhook-signature'),
      timestamp: request.header('x-twilio-email-event-webhook-timestamp'),
    });
    if (!valid) throw new GatewayException(GatewayErrorCode.Forbidden, 'Invalid or missing X-Twilio-Email-Event-Webhook-Signature');
    const events: unknown = request.body;
    if (!Array.isArray(events)) throw GatewayException.badInput('body', 'must be a JSON array of SendGrid events');
    for (const [index, event] of events.entries()) {
      if (typeof event !== 'object' || event === null) throw GatewayException.badInput(`body[${index}]`, 'must be an object');
      const { event: name, sg_message_id: sgMessageId, continuum_message_id: outboxId } = event as Record<string, unknown>;
      const status = typeof name === 'string' ? EVENT_STATUS[name] : undefined;
      if (!status || typeof sgMessageId !== 'string') continue;
      // sg_message_id is the X-Message-Id the send returned, followed by ".filter…"; our custom arg
      // finds the message even when the event beats the send's own answer.
      await this.deliveries.report(sgMessageId.split('.')[0]!, status, null, typeof outboxId === 'string' ? outboxId : undefined);
    }
  }
}
