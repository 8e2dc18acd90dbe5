import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { MessageChannel } from './activities';

/**
 * Conversations: one entity workflow per customer (`conversation/<customerRef>`) holds the open
 * topics and their context across channels; automated agents (journeys `returns-agent`,
 * `sales-agent`, `support-agent`) and the `human-handoff` journey answer within a topic.
 */
export const CONVERSATION_WORKFLOW = 'conversation';

export function conversationWorkflowId(customerRef: string): string {
  if (customerRef.length === 0) throw new Error('conversationWorkflowId: customerRef must not be empty');
  return `conversation/${customerRef}`;
}

/** What a customer's message is about. `human`: they ask for a person. */
export const INTENTS = ['returns', 'sales', 'support', 'human', 'greeting', 'thanks', 'unknown'] as const;
export type Intent = (typeof INTENTS)[number];
/** Intents an automated agent owns: a topic is about one of them. */
export const TOPIC_INTENTS = ['returns', 'sales', 'support'] as const;
export type TopicIntent = (typeof TOPIC_INTENTS)[number];

/** The automated agent journey of each topic intent. */
export const AGENT_JOURNEYS: Record<TopicIntent, string> = { returns: 'returns-agent', sales: 'sales-agent', support: 'support-agent' };
export const HUMAN_HANDOFF_JOURNEY = 'human-handoff';

/** Events the conversation delivers to agent journeys (they are journeys: these are their entry, listened and exit events). */
export const TOPIC_ASSIGNED = 'Topic Assigned';
export const TOPIC_MESSAGE = 'Topic Message';
export const TOPIC_ESCALATED = 'Topic Escalated';
export const AGENT_REPLIED = 'Agent Replied';
export const TOPIC_CLOSED = 'Topic Closed';

export interface Classification {
  intent: Intent;
  /** 0–1. */
  confidence: number;
  /**
   * Which classifier answered: `nlp` (trained from labelled examples per locale), `model` (the external
   * one, INTENT_MODEL_URL), `rules` (recorded in older histories); `nlp` after a model failure says why in `fallback`.
   */
  source: 'nlp' | 'rules' | 'model';
  fallback?: string;
  /**
   * Facts found in the text: `orderId`, `email`, `size`, and a day it names, `YYYY-MM-DD` on the
   * customer's calendar: `purchaseDate` when it says they bought then ("comprei dia 3"), else `date`.
   */
  entities: Record<string, string>;
  /** How the message feels, scored per locale by NLP.js's lexicons. Absent in older histories. */
  sentiment?: MessageSentiment;
  /** The message asks something (not, e.g., the answer to the agent's own question). Absent in older histories. */
  question?: boolean;
  /** The knowledge base's answer when the message is a question it knows (`id`: the entry). */
  knowledge?: { id: string; answer: string };
  /** A configured escalation keyword or phrase the text contains (CONVERSATION_ESCALATION_KEYWORDS). */
  escalationKeyword?: string;
  /** The language the message is written in, as the classifier tells it (en, pt-BR, es), else the customer's locale. Absent in older histories. */
  locale?: string;
  /** The message is the answer to the open topic's question for this slot (`size`: a short reply naming a size while a sales topic is about a product), whatever the models read. */
  slot?: 'size';
  /** For a sales message, when the worker has a stock lookup (CONVERSATION_STOCK_LOOKUP): what it found. */
  stock?: StockReport;
}

/** The sentiment of a customer's message: its vote, the lexicon's score, and whether it is strongly negative. */
export interface MessageSentiment {
  vote: 'negative' | 'neutral' | 'positive';
  score: number;
  /** Strongly negative (about two clearly negative words, or one extreme one): see docs/conversations. */
  strong?: boolean;
}

/** Stock the workspace's lookup found for the products a message names: one item per product and size. */
export interface StockReport {
  /** The size the customer asked for (`42`, `M`), when they named one. */
  size?: string;
  /** At most STOCK_ITEMS_KEPT rows, as the lookup ordered them; empty when it knows no product the message names. */
  items: StockItem[];
  /** The lookup failed (timeout, warehouse down, rows of the wrong shape): the agent answers without stock. */
  error?: string;
}

export interface StockItem {
  product: string;
  size: string;
  /** Units available now (0: sold out in that size). */
  available: number;
}

/** Most stock rows kept per message (they travel in the agent's event and the workflow's history). */
export const STOCK_ITEMS_KEPT = 20;

/** A customer's message as the gateway hands it to their conversation (from the stored `Message Received` event). */
export interface InboundMessage {
  /** The event's messageId (`twilio:SM…`, `sendgrid:…`, `in_app:…`): a repeat is ignored. */
  messageId: string;
  workspaceId: string;
  customerId: string;
  channel: MessageChannel;
  body: string;
  /** Email subject. */
  subject?: string;
  /** When the customer sent it (ISO-8601). */
  at: string;
  /** STOP/START/HELP: consent keywords are recorded, never answered by an agent. */
  keyword?: string;
  /** The journey message this replies to (the recent outbound message on that channel), if any. */
  inReplyTo?: { messageId: string; instanceId: string; journeyId: string; step: string };
  locale?: string;
}

export const inboundMessageSignal = defineSignal<[InboundMessage]>('inboundMessage');

/** An agent journey's turn, told to the conversation (the context the next turn, or a person, starts from). */
export interface TopicProgress {
  topicId: string;
  /** `bot:returns`, `human:<agent>`. */
  author: string;
  /** Facts the agent learnt (order id, reason, stage); merged into the topic's. */
  facts?: Record<string, string>;
  /** What was sent, or why not. */
  reply?: { id: string; body: string; channel: MessageChannel; status: 'sent' | 'skipped' | 'failed'; reason?: string; outboxId?: string; at: string };
  /** The agent could not tell what the customer wants (twice in a row escalates). */
  understood?: boolean;
  /** The agent considers the topic done (e.g. the customer said thanks). */
  resolved?: boolean;
  /** The agent's instance ended (resolved, idle or closed): it answers nothing after this. */
  ended?: boolean;
  /** The customer's message (its messageId) this reply answers. */
  answered?: string;
  /** The fact this reply asks the customer for (`orderId`, `reason`, `product`, `size`): already given, it is a re-ask. */
  asked?: string;
  /** Which start of the topic's agent this instance is (`agent_run` of its first event): tells a late report of an earlier instance apart. */
  run?: number;
}

export const topicProgressSignal = defineSignal<[TopicProgress]>('topicProgress');

export type TopicStatus = 'automated' | 'human' | 'resolved';

export interface TopicMessage {
  direction: 'in' | 'out';
  author: string;
  channel: MessageChannel;
  body: string;
  at: string;
}

export interface TopicState {
  id: string;
  intent: TopicIntent;
  status: TopicStatus;
  /** The channel the customer last wrote on: replies go there. */
  channel: MessageChannel;
  subject?: string;
  openedAt: string;
  lastAt: string;
  facts: Record<string, string>;
  /** The most recent messages of the topic, on every channel (the context an agent starts from). */
  history: TopicMessage[];
  /** Consecutive turns the agent did not understand. */
  notUnderstood: number;
  escalation?: { reason: string; at: string };
  resolvedAt?: string;
  resolvedBy?: string;
  reopened: number;
  /** Workflow ids of the agent instance answering now (automated) and of the handoff instance (human). */
  agentInstance?: string;
  humanInstance?: string;
  /** Customer messages handed to the agent instance that it has not answered yet (given again to a new one if it ends). */
  unanswered?: Array<{ message: Record<string, unknown>; classification: Record<string, unknown> }>;
  /** Instances that ended or were closed and may still be closing: never signalled again, a new one starts once they closed. */
  closing?: string[];
  /** How many times an agent instance was started for this topic: the current one's `run`. */
  agentRun?: number;
  /** The language of the customer's latest message in the topic (en, pt-BR, es): the handover notice is written in it. */
  locale?: string;
  /** The workspace's voice for this customer, as read with their latest message: the handover notice is written in it. */
  voice?: MessageVoice;
}

export interface ConversationState {
  customerId: string;
  topics: TopicState[];
  messagesSeen: number;
  continuedAsNew: number;
}

export const conversationStateQuery = defineQuery<ConversationState>('conversationState');

/** A person's commands on a topic (GraphQL, after the gateway checked who holds the topic). */
export interface AgentReplyRequest {
  topicId: string;
  agent: string;
  body: string;
}
export const replyToTopicUpdate = defineUpdate<{ replyId: string; channel: MessageChannel }, [AgentReplyRequest]>('replyToTopic');
export const resolveTopicUpdate = defineUpdate<TopicState, [{ topicId: string; by: string }]>('resolveTopic');
export const handBackTopicUpdate = defineUpdate<TopicState, [{ topicId: string; agent: string }]>('handBackTopic');

export interface ConversationInput {
  workspaceId: string;
  customerId: string;
  /** The customer part of workflow ids (`<slug>:<userId>` outside the default workspace). */
  customerRef: string;
  /** Set on continue-as-new. */
  carried?: { topics: TopicState[]; seen: string[]; messagesSeen: number; continuedAsNew: number; seq: number };
}

/** A conversation message row (inbound, or a reply) as recorded for the history and the metrics. */
export interface ConversationMessageRecord {
  id: string;
  workspaceId: string;
  customerId: string;
  topicId: string | null;
  direction: 'in' | 'out';
  author: string;
  channel: MessageChannel;
  body: string;
  intent?: Intent;
  status?: string;
  reason?: string;
  outboxId?: string;
  /** For replies to journeys: the instance that got the reply. */
  journeyInstance?: string;
  at: string;
}

export interface TopicRecord {
  id: string;
  workspaceId: string;
  customerId: string;
  intent: TopicIntent;
  status: TopicStatus;
  channel: MessageChannel;
  openedAt: string;
  lastMessageAt: string;
  resolvedAt?: string;
  resolvedBy?: string;
  escalatedAt?: string;
  escalationReason?: string;
  reopened: number;
  facts: Record<string, string>;
}

/** `reasked`: an agent asked the customer for a fact they had already given in the conversation (`reason`: the fact). */
export type TopicEventType = 'opened' | 'reopened' | 'escalated' | 'handed-back' | 'resolved' | 'reasked';

export interface TopicEventRecord {
  /** `<topicId>:<seq>`: a retried write lands once. */
  id: string;
  workspaceId: string;
  customerId: string;
  topicId: string;
  type: TopicEventType;
  channel: MessageChannel;
  previousChannel?: MessageChannel;
  reason?: string;
  at: string;
}

/** A workspace's voice (the policy rule `voice`, every part decided): how agents address the customer, sign off and use emoji. */
export interface MessageVoice {
  /** informal: pt-BR *você*, es *tú*; formal: pt-BR *o senhor / a senhora*, es *usted* (English reads the same in both). */
  address: 'informal' | 'formal';
  /** Added on a line of its own to each answer; '' for none. */
  signOff: string;
  /** false: emoji are taken out of the answers. */
  emoji: boolean;
}

export interface ConversationContext {
  vip: boolean;
  locale?: string;
  /** The workspace's voice for the customer's country (absent in older histories: the default voice). */
  voice?: MessageVoice;
  /** The customer's IANA time zone (their `timezone` trait), when valid. */
  timeZone?: string;
  /** A message this many days after a topic was resolved, about the same thing, reopens it. */
  reopenWithinDays: number;
}

export interface ConversationActivities {
  /** Rules, or the external model when configured (with a timeout and a fallback to rules). */
  classifyMessage(input: {
    workspaceId: string;
    text: string;
    locale?: string;
    /** The product the customer's open sales topic is about: the stock lookup's `product` (a reply such as "size 42" names none). */
    product?: string;
    /** When the customer sent the message (ISO-8601): days it names ("last Tuesday") are resolved against it. */
    at?: string;
    /** The customer's IANA time zone (their `timezone` trait): whose calendar "yesterday" is on. */
    timeZone?: string;
  }): Promise<Classification>;
  /** Writes the conversation's rows (idempotent by id) and tells live subscribers. */
  recordConversation(input: { messages?: ConversationMessageRecord[]; topics?: TopicRecord[]; events?: TopicEventRecord[] }): Promise<void>;
  /** What the conversation's rules read now: the customer (VIP, locale), the workspace's voice for them and the deployment's escalation keywords and reopen window. */
  getConversationContext(input: { workspaceId: string; customerId: string }): Promise<ConversationContext>;
}
