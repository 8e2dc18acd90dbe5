import { Inject, Injectable } from '@nestjs/common';
import {
  CONVERSATION_WORKFLOW,
  conversationWorkflowId,
  CustomerIdKey,
  customerRef,
  inboundMessageSignal,
  MESSAGE_CHANNELS,
  TASK_PRIORITY,
  type ConversationInput,
  type InboundMessage,
  type MessageChannel,
} from '@continuum/contracts';
import type { GatewayConfig } from '@continuum/config';
import type { TemporalClientHandle } from '@continuum/temporal';
import { GATEWAY_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { EventOutbox, type OutboxEntry } from '../events/event-outbox';

/**
 * Hands every routed `Message Received` event to the customer's conversation workflow (started
 * on their first message): after the event reached its journeys, before it counts as routed, so
 * at least once (the conversation ignores a repeated messageId). A reply that reached the journey
 * it answers is only recorded by the conversation; one whose journey has ended is answered there.
 */
@Injectable()
export class ConversationRelay {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    outbox: EventOutbox,
  ) {
    outbox.afterRouting((entry, deliveredTo) => this.relay(entry, deliveredTo));
  }

  private async relay(entry: OutboxEntry, deliveredTo: string[]): Promise<void> {
    const found = inboundMessageOf(entry);
    if (!found) return;
    // A reply goes to its journey; if that instance has ended meanwhile, the conversation answers it instead.
    const { inReplyTo, ...rest } = found;
    const message: InboundMessage = inReplyTo && deliveredTo.includes(inReplyTo.instanceId) ? found : rest;
    const ref = customerRef(entry.workspaceSlug, message.customerId);
    const input: ConversationInput = { workspaceId: message.workspaceId, customerId: message.customerId, customerRef: ref };
    await this.temporal.client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
      workflowId: conversationWorkflowId(ref),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [input],
      signal: inboundMessageSignal,
      signalArgs: [message],
      typedSearchAttributes: [{ key: CustomerIdKey, value: ref }],
      priority: { priorityKey: TASK_PRIORITY.live },
      staticSummary: `Conversation with ${ref}`,
    });
  }
}

/** The conversation's view of a stored `Message Received` event; undefined for any other event. */
export function inboundMessageOf(entry: OutboxEntry): InboundMessage | undefined {
  const { event } = entry;
  if (event.type !== 'track' || event.event !== 'Message Received') return undefined;
  const properties = event.properties;
  const channel = properties['channel'];
  if (typeof channel !== 'string' || !(MESSAGE_CHANNELS as readonly string[]).includes(channel)) return undefined;
  const reply = properties['in_reply_to'] as Record<string, unknown> | undefined;
  return {
    messageId: event.messageId,
    workspaceId: event.workspaceId,
    customerId: event.userId,
    channel: channel as MessageChannel,
    body: typeof properties['body'] === 'string' ? properties['body'] : '',
    ...(typeof properties['subject'] === 'string' ? { subject: properties['subject'] } : {}),
    at: event.timestamp,
    ...(typeof properties['keyword'] === 'string' ? { keyword: properties['keyword'] } : {}),
    ...(reply && typeof reply['instance_id'] === 'string'
      ? {
          inReplyTo: {
            messageId: String(reply['message_id'] ?? ''),
            instanceId: reply['instance_id'],
            journeyId: String(reply['journey_id'] ?? ''),
            step: String(reply['step'] ?? ''),
          },
        }
      : {}),
    ...(typeof properties['locale'] === 'string' ? { locale: properties['locale'] } : {}),
  };
}
