import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  conversationWorkflowId,
  customerRef,
  handBackTopicUpdate,
  replyToTopicUpdate,
  resolveTopicUpdate,
} from '@continuum/contracts';
import { ConversationStore, IdentityStore, type ApiKeyPrincipal, type ConversationMessage, type Topic } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { customerOf } from '../common/customer-of';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { toTopic } from './topic.mapper';
import {
  MessageDirectionName,
  type Conversation,
  type ContinuityMetricsModel,
  type ConversationMessageModel,
  type ConversationTopic,
  type InAppMessageReceipt,
  type TopicReply,
} from './conversation.models';
import { InboundMessages } from './inbound-messages.service';
import type { ChannelName } from '../common/models/channel.model';

const MAX_REPLY_CHARS = 1_600;

/** What people and frontend apps do with conversations: the agent queue, claims, replies, history, metrics. */
@Injectable()
export class ConversationsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly conversations: ConversationStore,
    private readonly identities: IdentityStore,
    private readonly inbound: InboundMessages,
  ) {}

  /** A customer's message in the app's chat: a `Message Received` on the in-app channel. */
  async postInAppMessage(principal: ApiKeyPrincipal, rawUserId: string, body: string, clientMessageId: string | null): Promise<InAppMessageReceipt> {
    const customerId = await this.customerOf(principal, rawUserId);
    const text = body.trim();
    if (text === '') throw GatewayException.badInput('body', 'must not be empty');
    if (text.length > MAX_REPLY_CHARS * 4) throw GatewayException.badInput('body', `must be at most ${MAX_REPLY_CHARS * 4} characters`);
    if (clientMessageId != null && !/^[\w.:-]{1,100}$/.test(clientMessageId)) {
      throw GatewayException.badInput('clientMessageId', 'must be 1–100 letters, digits, ".", ":", "_" or "-"');
    }
    const result = await this.inbound.receive(principal, {
      channel: 'in_app',
      customerId,
      body: text,
      messageId: `in_app:${clientMessageId ?? randomUUID()}`,
      receivedAt: new Date(),
    });
    return { messageId: result.messageId, duplicate: result.duplicate };
  }

  async queue(principal: ApiKeyPrincipal, state: 'queued' | 'claimed' | 'all', agent: string | null, first: number): Promise<ConversationTopic[]> {
    if (first < 1 || first > 200) throw GatewayException.badInput('first', 'must be between 1 and 200');
    const topics = await this.conversations.queue(principal.workspaceId, { state, ...(agent != null ? { agent: validAgent(agent) } : {}), limit: first });
    return topics.map(toTopic);
  }

  async conversation(principal: ApiKeyPrincipal, rawUserId: string, last: number): Promise<Conversation> {
    if (last < 1 || last > 500) throw GatewayException.badInput('last', 'must be between 1 and 500');
    const customerId = await this.customerOf(principal, rawUserId);
    const [topics, messages] = await Promise.all([
      this.conversations.topicsOf(principal.workspaceId, customerId),
      this.conversations.history(principal.workspaceId, customerId, { limit: last }),
    ]);
    return { userId: customerId, topics: topics.map(toTopic), messages: messages.map(toMessage) };
  }

  async topic(principal: ApiKeyPrincipal, id: string): Promise<ConversationTopic> {
    return toTopic(await this.found(principal, id));
  }

  async topicMessages(principal: ApiKeyPrincipal, topic: ConversationTopic): Promise<ConversationMessageModel[]> {
    return (await this.conversations.history(principal.workspaceId, topic.userId, { topicId: topic.id, limit: 500 })).map(toMessage);
  }

  async claim(principal: ApiKeyPrincipal, topicId: string, rawAgent: string): Promise<ConversationTopic> {
    const agent = validAgent(rawAgent);
    const result = await this.conversations.claim(principal.workspaceId, topicId, agent);
    if ('topic' in result) return toTopic(result.topic);
    if (result.refused === 'not-found') throw new GatewayException(GatewayErrorCode.NotFound, `No topic ${topicId}`);
    if (result.refused === 'not-escalated') throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Topic ${topicId} is not waiting for a person (it is automated or resolved)`);
    throw new GatewayException(GatewayErrorCode.Conflict, `Topic ${topicId} is already claimed by ${result.holder ?? 'another agent'}`);
  }

  async reply(principal: ApiKeyPrincipal, topicId: string, rawAgent: string, rawBody: string): Promise<TopicReply> {
    const agent = validAgent(rawAgent);
    const body = rawBody.trim();
    if (body === '') throw GatewayException.badInput('body', 'must not be empty');
    if (body.length > MAX_REPLY_CHARS) throw GatewayException.badInput('body', `must be at most ${MAX_REPLY_CHARS} characters`);
    const topic = await this.held(principal, topicId, agent);
    const result = await this.update(principal, topic, () =>
      this.handle(principal, topic).executeUpdate(replyToTopicUpdate, { args: [{ topicId, agent, body }] }),
    );
    return { id: result.replyId, channel: result.channel as ChannelName, topic: toTopic(await this.found(principal, topicId)) };
  }

  async resolve(principal: ApiKeyPrincipal, topicId: string, rawAgent: string): Promise<ConversationTopic> {
    const agent = validAgent(rawAgent);
    const topic = await this.found(principal, topicId);
    if (topic.status === 'human' && topic.assignedAgent !== agent) {
      throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Topic ${topicId} is held by ${topic.assignedAgent ?? 'nobody'}: claim it first`);
    }
    if (topic.status === 'resolved') return toTopic(topic);
    await this.update(principal, topic, () => this.handle(principal, topic).executeUpdate(resolveTopicUpdate, { args: [{ topicId, by: `human:${agent}` }] }));
    return toTopic(await this.found(principal, topicId));
  }

  async handBack(principal: ApiKeyPrincipal, topicId: string, rawAgent: string): Promise<ConversationTopic> {
    const agent = validAgent(rawAgent);
    const topic = await this.held(principal, topicId, agent);
    await this.update(principal, topic, () => this.handle(principal, topic).executeUpdate(handBackTopicUpdate, { args: [{ topicId, agent }] }));
    return toTopic(await this.found(principal, topicId));
  }

  async metrics(principal: ApiKeyPrincipal, from: Date, to: Date, withinDays: number): Promise<ContinuityMetricsModel> {
    if (!(from.getTime() < to.getTime())) throw GatewayException.badInput('to', 'must be after from');
    if (!Number.isInteger(withinDays) || withinDays < 1 || withinDays > 365) throw GatewayException.badInput('withinDays', 'must be a whole number of days from 1 to 365');
    const metrics = await this.conversations.metrics(principal.workspaceId, { from, to, withinDays });
    return {
      ...metrics,
      recontact: { ...metrics.recontact, byChannel: metrics.recontact.byChannel.map((row) => ({ channel: row.channel as ChannelName, customers: row.customers })) },
      automation: { ...metrics.automation, meetsTarget: metrics.automation.resolvedTopics > 0 && metrics.automation.share >= metrics.automation.target },
    };
  }

  private handle(principal: ApiKeyPrincipal, topic: Topic) {
    return this.temporal.client.workflow.getHandle(conversationWorkflowId(customerRef(principal.workspaceSlug, topic.customerId)));
  }

  /** Runs an update on the topic's conversation, turning the workflow's refusals into clear errors. */
  private async update<T>(principal: ApiKeyPrincipal, topic: Topic, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new GatewayException(GatewayErrorCode.NotFound, `The conversation of topic ${topic.id} is not running`);
      const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      if (cause instanceof ApplicationFailure && (cause.type === 'TopicNotFound' || cause.type === 'TopicNotWithPerson')) {
        throw new GatewayException(GatewayErrorCode.FailedPrecondition, cause.message);
      }
      throw error;
    }
  }

  private async found(principal: ApiKeyPrincipal, topicId: string): Promise<Topic> {
    const topic = await this.conversations.topic(principal.workspaceId, topicId);
    if (!topic) throw new GatewayException(GatewayErrorCode.NotFound, `No topic ${topicId}`);
    return topic;
  }

  /** The topic, escalated and held by `agent`. */
  private async held(principal: ApiKeyPrincipal, topicId: string, agent: string): Promise<Topic> {
    const topic = await this.found(principal, topicId);
    if (topic.status !== 'human') throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Topic ${topicId} is ${topic.status}, not with a person`);
    if (topic.assignedAgent !== agent) {
      throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Topic ${topicId} is held by ${topic.assignedAgent ?? 'nobody'}: claim it first (claimTopic)`);
    }
    return topic;
  }

  private customerOf(principal: ApiKeyPrincipal, rawUserId: string): Promise<string> {
    return customerOf(this.identities, principal.workspaceId, rawUserId);
  }
}

function validAgent(agent: string): string {
  const name = agent.trim();
  if (!/^[\p{L}\p{N} ._@-]{1,100}$/u.test(name)) throw GatewayException.badInput('agent', 'must be 1–100 letters, digits, spaces, ".", "_", "@" or "-"');
  return name;
}

function toMessage(message: ConversationMessage): ConversationMessageModel {
  return {
    id: message.id,
    topicId: message.topicId,
    direction: message.direction as MessageDirectionName,
    author: message.author,
    channel: message.channel as ChannelName,
    body: message.body,
    intent: message.intent,
    status: message.status,
    reason: message.reason,
    deliveryStatus: message.deliveryStatus,
    journeyInstance: message.journeyInstance,
    at: message.at,
  };
}
