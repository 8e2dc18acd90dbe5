import type {
  ConversationInput,
  ConversationState,
  TopicEventRecord,
  TopicEventType,
  TopicMessage,
  TopicRecord,
  TopicState,
} from '@continuum/contracts';
import { CARRIED_FACTS, CUSTOMER_FACTS, HISTORY_KEPT, SEEN_KEPT } from './conversation-limits';
import { ApplicationFailure } from './temporal';

/**
 * What a conversation carries across continue-as-new: its topics (with their context), the message
 * ids it has seen, its counters; and how each of them is written to PostgreSQL.
 */
export class ConversationMemory {
  readonly workspaceId: string;
  readonly customerId: string;
  /** The customer part of workflow ids (`<slug>:<userId>` outside the default workspace). */
  readonly customerRef: string;
  readonly topics: TopicState[];
  private readonly seen: string[];
  private messagesSeen: number;
  /** Numbers the events this conversation writes and hands to journeys (unique across runs). */
  private seq: number;
  private readonly continuedAsNew: number;

  constructor(input: ConversationInput) {
    this.workspaceId = input.workspaceId;
    this.customerId = input.customerId;
    this.customerRef = input.customerRef;
    const carried = input.carried;
    this.topics = carried?.topics ?? [];
    this.seen = carried?.seen ?? [];
    this.messagesSeen = carried?.messagesSeen ?? 0;
    this.seq = carried?.seq ?? 0;
    this.continuedAsNew = carried?.continuedAsNew ?? 0;
  }

  /** Counts a customer's message the first time its id comes; false for a repeat. */
  firstSeen(messageId: string): boolean {
    if (this.seen.includes(messageId)) return false;
    this.seen.push(messageId);
    if (this.seen.length > SEEN_KEPT) this.seen.splice(0, this.seen.length - SEEN_KEPT);
    this.messagesSeen += 1;
    return true;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** The topic, or a failure the caller (a person's command) gets back. */
  findTopic(topicId: string): TopicState {
    const topic = this.topics.find((candidate) => candidate.id === topicId);
    if (!topic) throw ApplicationFailure.nonRetryable(`no topic ${topicId} in this conversation`, 'TopicNotFound');
    return topic;
  }

  /** The topic when a person has it: only then may a person reply in it or hand it back. */
  topicWithPerson(topicId: string): TopicState {
    const topic = this.findTopic(topicId);
    if (topic.status !== 'human') throw ApplicationFailure.nonRetryable(`topic ${topicId} is ${topic.status}, not with a person`, 'TopicNotWithPerson');
    return topic;
  }

  /** Adds a message to the topic's recent history (the context the next agent or person starts from). */
  remember(topic: TopicState, message: TopicMessage): void {
    topic.history.push(message);
    if (topic.history.length > HISTORY_KEPT) topic.history.splice(0, topic.history.length - HISTORY_KEPT);
  }

  /**
   * What the customer told in their other topics whose last message is at most `withinDays` before
   * `at` (CARRIED_FACTS; the latest topic's value first): what a new topic starts knowing. An older
   * fact may no longer be right (another order), so it is asked for again.
   */
  recentCustomerFacts(except: TopicState, at: string, withinDays: number): Record<string, string> {
    const since = Date.parse(at) - withinDays * 86_400_000;
    const facts: Record<string, string> = {};
    const recent = this.topics.filter((topic) => topic.id !== except.id && Date.parse(topic.lastAt) >= since);
    for (const topic of [...recent].sort((a, b) => a.lastAt.localeCompare(b.lastAt))) {
      for (const key of CARRIED_FACTS) if (topic.facts[key]) facts[key] = topic.facts[key]!;
    }
    return facts;
  }

  /** Whether the customer already gave `fact` in this conversation: in `topic`, or (a customer fact) in any other topic. */
  alreadyGiven(topic: TopicState, fact: string): boolean {
    if (topic.facts[fact]) return true;
    return CUSTOMER_FACTS.includes(fact) && this.topics.some((other) => other.id !== topic.id && Boolean(other.facts[fact]));
  }

  /** The topic's row in PostgreSQL. */
  topicRecord(topic: TopicState): TopicRecord {
    return {
      id: topic.id,
      workspaceId: this.workspaceId,
      customerId: this.customerId,
      intent: topic.intent,
      status: topic.status,
      channel: topic.channel,
      openedAt: topic.openedAt,
      lastMessageAt: topic.lastAt,
      ...(topic.resolvedAt ? { resolvedAt: topic.resolvedAt, resolvedBy: topic.resolvedBy } : {}),
      ...(topic.escalation ? { escalatedAt: topic.escalation.at, escalationReason: topic.escalation.reason } : {}),
      reopened: topic.reopened,
      facts: topic.facts,
    };
  }

  /** A row of the topic's timeline (opened, reopened, escalated, resolved, handed back). */
  topicEvent(topic: TopicState, type: TopicEventType, at: string, extra: Partial<TopicEventRecord> = {}): TopicEventRecord {
    return {
      id: `${topic.id}:${this.nextSeq()}`,
      workspaceId: this.workspaceId,
      customerId: this.customerId,
      topicId: topic.id,
      type,
      channel: topic.channel,
      at,
      ...extra,
    };
  }

  /** What the `conversationState` query answers. */
  state(): ConversationState {
    return { customerId: this.customerId, topics: this.topics, messagesSeen: this.messagesSeen, continuedAsNew: this.continuedAsNew };
  }

  /** The input of the next run when the conversation continues as new. */
  carriedOver(): ConversationInput {
    return {
      workspaceId: this.workspaceId,
      customerId: this.customerId,
      customerRef: this.customerRef,
      carried: { topics: this.topics, seen: this.seen, messagesSeen: this.messagesSeen, seq: this.seq, continuedAsNew: this.continuedAsNew + 1 },
    };
  }
}
