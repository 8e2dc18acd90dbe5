import { Inject, Injectable } from '@nestjs/common';
import { AGENT_JOURNEYS, HUMAN_HANDOFF_JOURNEY, parseJourneyWorkflowId, type MessageChannel } from '@continuum/contracts';
import type { GatewayConfig } from '@continuum/config';
import { IdentityStore, MessageStore, ProfileStore, type IdentityKind } from '@continuum/data';
import { parseDuration } from '@continuum/domain';
import { GATEWAY_CONFIG } from '../core/tokens';
import { EventsService, type WorkspacePrincipal } from '../events/events.service';

/** Channels whose replies correlate with each other (an SMS can answer an RCS message that fell back to SMS). */
const REPLY_FAMILIES: Record<MessageChannel, MessageChannel[]> = {
  sms: ['sms', 'mms', 'rcs'],
  mms: ['sms', 'mms', 'rcs'],
  rcs: ['rcs', 'sms', 'mms'],
  whatsapp: ['whatsapp'],
  email: ['email'],
  in_app: ['in_app'],
};

/** The identity kinds an address on a channel is, in the order they are tried. */
const ADDRESS_KINDS: Record<MessageChannel, IdentityKind[]> = {
  sms: ['phone'],
  mms: ['phone'],
  rcs: ['phone'],
  whatsapp: ['whatsapp', 'phone'],
  email: ['email'],
  in_app: ['user_id'],
};

/** Agent journeys answer within the conversation; a reply to them is not a reply to a journey. */
const CONVERSATION_JOURNEYS = [...Object.values(AGENT_JOURNEYS), HUMAN_HANDOFF_JOURNEY];

export interface InboundInput {
  channel: MessageChannel;
  /** The customer's address (phone, WhatsApp number, email); in-app gives `customerId` instead. */
  address?: string;
  customerId?: string;
  body: string;
  subject?: string;
  /** Stable per provider message (`twilio:SM…`): a provider's retry is the same event. */
  messageId: string;
  /** More properties of the `Message Received` event (from, to, providerId, keyword, …). */
  properties?: Record<string, unknown>;
  receivedAt: Date;
  /** false: not correlated with the journey message it may answer (a YES confirming a double opt-in). */
  correlate?: boolean;
}

export interface InboundResult {
  messageId: string;
  customerId: string;
  /** A profile was created for an address nobody had. */
  created: boolean;
  duplicate: boolean;
  inReplyTo?: { messageId: string; instanceId: string; journeyId: string; step: string };
}

/**
 * Every inbound message, whatever its channel, becomes a `Message Received` event on the right
 * customer: found by address (an unknown address gets a profile of its own, with that address as
 * its identity), correlated with the journey message it answers, stored, then routed to journeys
 * and to the customer's conversation.
 */
@Injectable()
export class InboundMessages {
  private readonly correlationWindowMs: number;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly events: EventsService,
    private readonly identities: IdentityStore,
    private readonly messages: MessageStore,
    private readonly profiles: ProfileStore,
  ) {
    this.correlationWindowMs = parseDuration(config.REPLY_CORRELATION_WINDOW);
  }

  /** Customers at this address (several can share a phone); the first is the one who wrote. */
  async customersAt(workspaceId: string, channel: MessageChannel, address: string): Promise<string[]> {
    const customers = await this.identities.customersAt(workspaceId, ADDRESS_KINDS[channel], channel === 'email' ? address.toLowerCase() : address);
    if (customers.length > 0 || ADDRESS_KINDS[channel][0] === 'email' || channel === 'in_app') return customers;
    // A profile whose phone trait predates identities.
    const byPhone = await this.profiles.findByPhone(workspaceId, address);
    return byPhone ? [byPhone.userId] : [];
  }

  async receive(principal: WorkspacePrincipal, input: InboundInput): Promise<InboundResult> {
    const { workspaceId } = principal;
    let customerId = input.customerId;
    let created = false;
    if (customerId === undefined) {
      const address = input.channel === 'email' ? input.address!.toLowerCase() : input.address!;
      customerId = (await this.customersAt(workspaceId, input.channel, address))[0];
      if (customerId === undefined) {
        // Someone new: their address is their id until they identify, and the address they wrote from is theirs.
        customerId = address;
        created = true;
        const kind = input.channel === 'email' ? 'email' : input.channel === 'whatsapp' ? 'whatsapp' : 'phone';
        await this.identities.link(workspaceId, customerId, [{ kind, value: address }], `inbound:${input.channel}`, input.receivedAt);
        // …and the profile's own address, so that answers reach them.
        await this.profiles.mergeTraits(workspaceId, customerId, {}, input.channel === 'email' ? { email: address } : { phone: address });
      }
    }
    const since = new Date(input.receivedAt.getTime() - this.correlationWindowMs);
    const answered = input.correlate === false ? undefined : await this.messages.lastJourneyMessageTo(workspaceId, customerId, REPLY_FAMILIES[input.channel], since, CONVERSATION_JOURNEYS);
    const parsed = answered ? parseJourneyWorkflowId(answered.instanceId) : undefined;
    const inReplyTo = answered && parsed ? { messageId: answered.id, instanceId: answered.instanceId, journeyId: parsed.journeyId, step: answered.step } : undefined;
    const [result] = await this.events.acceptAll(
      principal,
      [
        {
          messageId: input.messageId,
          userId: customerId,
          type: 'track',
          name: 'Message Received',
          properties: {
            channel: input.channel,
            body: input.body,
            ...(input.subject !== undefined ? { subject: input.subject } : {}),
            ...input.properties,
            ...(inReplyTo ? { in_reply_to: { message_id: inReplyTo.messageId, instance_id: inReplyTo.instanceId, journey_id: inReplyTo.journeyId, step: inReplyTo.step } } : {}),
          },
          timestamp: input.receivedAt,
          receivedAt: input.receivedAt,
        },
      ],
      { source: 'webhook' },
    );
    return { messageId: input.messageId, customerId, created, duplicate: result!.duplicate, ...(inReplyTo ? { inReplyTo } : {}) };
  }
}
