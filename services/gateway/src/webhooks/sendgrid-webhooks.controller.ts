import { Controller, HttpCode, Inject, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { sendGridDeliveryReport } from '@continuum/temporal';
import { isValidSendGridEventSignature } from '@continuum/twilio';
import type { Request } from 'express';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { GATEWAY_CONFIG } from '../core/tokens';
import { DeliveryNotifier } from './delivery-notifier';

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
      const report = sendGridDeliveryReport(event as Record<string, unknown>);
      if (report) await this.deliveries.report(report);
    }
  }
}
