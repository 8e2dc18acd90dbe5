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
import { ConversationStore, IdentityStore, type ApiKeyPrincipal, type ConversationPosition, type HistoryFilter, type Positioned, type QueueFilter, type Topic } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { pageOf, pageRequest, type ConnectionPage, type PageArgs } from '../common/connection';
import { customerOf } from '../common/customer-of';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { decodePosition, encodePosition, isExactUtcTime } from '../common/relay-pagination';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { localIdOf, toGlobalId } from '../node/global-id';
import { toConversationMessage } from './conversation-message.mapper';
import { toTopic } from './topic.mapper';
import {
  escalationReasonOf,
  type Conversation,
  type ContinuityMetrics,
  type ConversationMessage,
  type ConversationTopic,
  type QueueStateName,
} from './conversation.models';
import type { ClaimTopicInput, HandBackTopicInput, PostInAppMessageInput, ReplyToTopicInput, ResolveTopicInput } from './conversation-mutations.models';
import { InboundMessages } from './inbound-messages.service';
import type { ChannelName } from '../common/models/channel.model';

const MAX_REPLY_CHARS = 1_600;

/** A topic's or a message's place in its list: a cursor holds it. */
function decodeConversationCursor(cursor: string, argument: 'after' | 'before'): ConversationPosition {
  return decodePosition(cursor, ['at', 'id'] as const, (position) => isExactUtcTime(position.at) && position.id.length <= 2_000, argument);
}

function edgeOf<T, N>(map: (row: T) => N): (positioned: Positioned<T>) => { cursor: string; node: N } {
  return ({ row, position }) => ({ cursor: encodePosition({ ...position }), node: map(row) });
}

/** What people and frontend apps do with conversations: the agent queue, claims, replies, history, metrics. */
@Injectable()
export class ConversationsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly conversations: ConversationStore,
    private readonly identities: IdentityStore,
    private readonly inbound: InboundMessages,
  ) {}

  /** A customer's message in the app's chat: a `Message Received` on the in-app channel; its id is the global id of the conversation message it becomes. */
  async postInAppMessage(principal: ApiKeyPrincipal, input: PostInAppMessageInput): Promise<{ conversationMessageId: string; duplicate: boolean }> {
    const customerId = await this.customerOf(principal, input.userId);
    const text = input.body.trim();
    if (text === '') throw GatewayException.badInput('body', 'must not be empty');
    if (text.length > MAX_REPLY_CHARS * 4) throw GatewayException.badInput('body', `must be at most ${MAX_REPLY_CHARS * 4} characters`);
    const clientMessageId = input.clientMessageId ?? null;
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
    return { conversationMessageId: toGlobalId('ConversationMessage', result.messageId), duplicate: result.duplicate };
  }

  /** The agent queue: escalated topics, oldest escalation first. */
  async queue(principal: ApiKeyPrincipal, state: QueueStateName, agent: string | null, page: PageArgs): Promise<ConnectionPage<ConversationTopic>> {
    const request = pageRequest(page, decodeConversationCursor);
    const filter: QueueFilter = { state, ...(agent != null ? { agent: validAgent(agent) } : {}) };
    const rows = await this.conversations.queuePage(principal.workspaceId, filter, request);
    return pageOf(rows, request, edgeOf(toTopic), () => this.conversations.countQueue(principal.workspaceId, filter));
  }

  /** The customer's conversation; null when they have none (no topic, no message). */
  async conversation(principal: ApiKeyPrincipal, rawUserId: string): Promise<Conversation | null> {
    const customerId = await this.customerOf(principal, rawUserId);
    const [found] = await this.conversationsOf(principal, [customerId]);
    return found ?? null;
  }

  /** The conversations of these customer ids, in the same order; null for a customer without one. */
  async conversationsOf(principal: ApiKeyPrincipal, customerIds: readonly string[]): Promise<Array<Conversation | null>> {
    const found = new Set(await this.conversations.customersWithConversation(principal.workspaceId, customerIds));
    return customerIds.map((userId) => (found.has(userId) ? { userId } : null));
  }

  /** The topic with this global id; null when there is none in the workspace. A string that is no topic's global id: BAD_USER_INPUT naming `field`. */
  async topic(principal: ApiKeyPrincipal, id: string, field: string): Promise<ConversationTopic | null> {
    const [found] = await this.topicsByIds(principal, [localIdOf(id, 'ConversationTopic', field)]);
    return found ?? null;
  }

  /** The topics of these uuids, in the same order; null where there is none. */
  async topicsByIds(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<ConversationTopic | null>> {
    const byId = new Map((await this.conversations.topicsByIds(principal.workspaceId, ids)).map((topic) => [topic.id, toTopic(topic)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The conversation messages of these ids, in the same order; null where there is none. */
  async messagesByIds(principal: ApiKeyPrincipal, ids: readonly string[]): Promise<Array<ConversationMessage | null>> {
    const byId = new Map((await this.conversations.messagesByIds(principal.workspaceId, ids)).map((message) => [message.id, toConversationMessage(message)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** A customer's topics, most recently opened first. */
  async topicsOf(principal: ApiKeyPrincipal, customerId: string, page: PageArgs): Promise<ConnectionPage<ConversationTopic>> {
    const request = pageRequest(page, decodeConversationCursor);
    const rows = await this.conversations.topicsPage(principal.workspaceId, customerId, request);
    return pageOf(rows, request, edgeOf(toTopic), () => this.conversations.countTopics(principal.workspaceId, customerId));
  }

  /** A customer's or a topic's messages on every channel, oldest first. */
  async messagesOf(principal: ApiKeyPrincipal, filter: HistoryFilter, page: PageArgs): Promise<ConnectionPage<ConversationMessage>> {
    const request = pageRequest(page, decodeConversationCursor);
    const rows = await this.conversations.messagesPage(principal.workspaceId, filter, request);
    return pageOf(rows, request, edgeOf(toConversationMessage), () => this.conversations.countMessages(principal.workspaceId, filter));
  }

  async claim(principal: ApiKeyPrincipal, input: ClaimTopicInput): Promise<ConversationTopic> {
    const topicId = localIdOf(input.topicId, 'ConversationTopic', 'topicId');
    const agent = validAgent(input.agent);
    const result = await this.conversations.claim(principal.workspaceId, topicId, agent);
    if ('topic' in result) return toTopic(result.topic);
    if (result.refused === 'not-found') throw notFound(input.topicId);
    if (result.refused === 'not-escalated') {
      throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Topic ${input.topicId} is not waiting for a person (it is automated or resolved)`, 'topicId');
    }
    throw new GatewayException(GatewayErrorCode.Conflict, `Topic ${input.topicId} is already claimed by ${result.holder ?? 'another agent'}`, 'topicId');
  }

  async reply(principal: ApiKeyPrincipal, input: ReplyToTopicInput): Promise<{ message: ConversationMessage | null; topic: ConversationTopic }> {
    const topicId = localIdOf(input.topicId, 'ConversationTopic', 'topicId');
    const agent = validAgent(input.agent);
    const body = input.body.trim();
    if (body === '') throw GatewayException.badInput('body', 'must not be empty');
    if (body.length > MAX_REPLY_CHARS) throw GatewayException.badInput('body', `must be at most ${MAX_REPLY_CHARS} characters`);
    const topic = await this.held(principal, input.topicId, topicId, agent);
    const result = await this.update(principal, topic, () =>
      this.handle(principal, topic).executeUpdate(replyToTopicUpdate, { args: [{ topicId, agent, body }] }),
    );
    const [message] = await this.messagesByIds(principal, [result.replyId]);
    return { message: message ?? null, topic: toTopic(await this.found(principal, input.topicId, topicId)) };
  }

  async resolve(principal: ApiKeyPrincipal, input: ResolveTopicInput): Promise<ConversationTopic> {
    const topicId = localIdOf(input.topicId, 'ConversationTopic', 'topicId');
    const agent = validAgent(input.agent);
    const topic = await this.found(principal, input.topicId, topicId);
    if (topic.status === 'human' && topic.assignedAgent !== agent) {
      throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Topic ${input.topicId} is held by ${topic.assignedAgent ?? 'nobody'}: claim it first`, 'topicId');
    }
    if (topic.status === 'resolved') return toTopic(topic);
    await this.update(principal, topic, () => this.handle(principal, topic).executeUpdate(resolveTopicUpdate, { args: [{ topicId, by: `human:${agent}` }] }));
    return toTopic(await this.found(principal, input.topicId, topicId));
  }

  async handBack(principal: ApiKeyPrincipal, input: HandBackTopicInput): Promise<ConversationTopic> {
    const topicId = localIdOf(input.topicId, 'ConversationTopic', 'topicId');
    const agent = validAgent(input.agent);
    const topic = await this.held(principal, input.topicId, topicId, agent);
    await this.update(principal, topic, () => this.handle(principal, topic).executeUpdate(handBackTopicUpdate, { args: [{ topicId, agent }] }));
    return toTopic(await this.found(principal, input.topicId, topicId));
  }

  async metrics(principal: ApiKeyPrincipal, from: Date, to: Date, withinDays: number): Promise<ContinuityMetrics> {
    if (!(from.getTime() < to.getTime())) throw GatewayException.badInput('to', 'must be after from');
    if (!Number.isInteger(withinDays) || withinDays < 1 || withinDays > 365) throw GatewayException.badInput('withinDays', 'must be a whole number of days from 1 to 365');
    const metrics = await this.conversations.metrics(principal.workspaceId, { from, to, withinDays });
    return {
      ...metrics,
      recontact: { ...metrics.recontact, byChannel: metrics.recontact.byChannel.map((row) => ({ channel: row.channel as ChannelName, customers: row.customers })) },
      automation: { ...metrics.automation, meetsTarget: metrics.automation.resolvedTopics > 0 && metrics.automation.share >= metrics.automation.target },
      escalation: {
        ...metrics.escalation,
        // A reason this gateway does not know (none today) is left out rather than failing the query.
        byReason: metrics.escalation.byReason.flatMap((row) => {
          const escalation = escalationReasonOf(row.reason);
          return escalation ? [{ ...escalation, topics: row.topics }] : [];
        }),
      },
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
      if (error instanceof WorkflowNotFoundError) {
        throw new GatewayException(GatewayErrorCode.FailedPrecondition, `The conversation of topic ${toGlobalId('ConversationTopic', topic.id)} is not running`, 'topicId');
      }
      const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      if (cause instanceof ApplicationFailure && (cause.type === 'TopicNotFound' || cause.type === 'TopicNotWithPerson')) {
        throw new GatewayException(GatewayErrorCode.FailedPrecondition, cause.message, 'topicId');
      }
      throw error;
    }
  }

  /** The topic `topicId` (the local id inside the global id `id`); NOT_FOUND on `topicId` when the workspace has none. */
  private async found(principal: ApiKeyPrincipal, id: string, topicId: string): Promise<Topic> {
    const [topic] = await this.conversations.topicsByIds(principal.workspaceId, [topicId]);
    if (!topic) throw notFound(id);
    return topic;
  }

  /** The topic, escalated and held by `agent`. */
  private async held(principal: ApiKeyPrincipal, id: string, topicId: string, agent: string): Promise<Topic> {
    const topic = await this.found(principal, id, topicId);
    if (topic.status !== 'human') throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Topic ${id} is ${topic.status}, not with a person`, 'topicId');
    if (topic.assignedAgent !== agent) {
      throw new GatewayException(GatewayErrorCode.FailedPrecondition, `Topic ${id} is held by ${topic.assignedAgent ?? 'nobody'}: claim it first (claimTopic)`, 'topicId');
    }
    return topic;
  }

  private customerOf(principal: ApiKeyPrincipal, rawUserId: string): Promise<string> {
    return customerOf(this.identities, principal.workspaceId, rawUserId);
  }
}

function notFound(id: string): GatewayException {
  return new GatewayException(GatewayErrorCode.NotFound, `No topic ${id} in this workspace`, 'topicId');
}

function validAgent(agent: string): string {
  const name = agent.trim();
  if (!/^[\p{L}\p{N} ._@-]{1,100}$/u.test(name)) throw GatewayException.badInput('agent', 'must be 1–100 letters, digits, spaces, ".", "_", "@" or "-"');
  return name;
}
