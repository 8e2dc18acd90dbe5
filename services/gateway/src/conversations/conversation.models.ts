import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { connectionTypes } from '../common/connection-types';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { ChannelName } from '../common/models/channel.model';
import { MessageStatusName } from '../common/models/message-status.model';
import { Node } from '../node/node.model';

export enum TopicStatusName {
  AUTOMATED = 'automated',
  HUMAN = 'human',
  RESOLVED = 'resolved',
}
registerEnumType(TopicStatusName, {
  name: 'TopicStatus',
  description: 'AUTOMATED: an agent journey answers; HUMAN: escalated to a person (queued until claimed); RESOLVED',
  valuesMap: {
    AUTOMATED: { description: 'An automated agent journey answers the customer' },
    HUMAN: { description: 'Escalated to a person: queued until someone claims it' },
    RESOLVED: { description: 'Resolved; a new message from the customer reopens it' },
  },
});

export enum TopicIntentName {
  RETURNS = 'returns',
  SALES = 'sales',
  SUPPORT = 'support',
}
registerEnumType(TopicIntentName, {
  name: 'TopicIntent',
  description: 'What a topic is about, which tells which automated agent owns it',
  valuesMap: {
    RETURNS: { description: 'Returns and exchanges: the returns agent' },
    SALES: { description: 'Products, plans and prices: the sales agent' },
    SUPPORT: { description: 'Anything else the customer needs help with: the support agent' },
  },
});

export enum MessageIntentName {
  RETURNS = 'returns',
  SALES = 'sales',
  SUPPORT = 'support',
  HUMAN = 'human',
  GREETING = 'greeting',
  THANKS = 'thanks',
  UNKNOWN = 'unknown',
}
registerEnumType(MessageIntentName, {
  name: 'MessageIntent',
  description: "What a customer's message was classified as",
  valuesMap: {
    RETURNS: { description: 'About a return or an exchange' },
    SALES: { description: 'About products, plans or prices' },
    SUPPORT: { description: 'A request for help' },
    HUMAN: { description: 'Asks for a person' },
    GREETING: { description: 'A greeting' },
    THANKS: { description: 'Thanks (it may resolve the topic)' },
    UNKNOWN: { description: 'Not understood' },
  },
});

export enum ReplyStatusName {
  PENDING = 'pending',
  SENT = 'sent',
  SKIPPED = 'skipped',
  FAILED = 'failed',
}
registerEnumType(ReplyStatusName, {
  name: 'ReplyStatus',
  description: 'Where a reply to the customer stands',
  valuesMap: {
    PENDING: { description: 'Not sent yet (e.g. held until the end of their quiet hours)' },
    SENT: { description: 'Handed to the provider; deliveryStatus follows what became of it' },
    SKIPPED: { description: 'Not sent (e.g. no consent for the channel); reason says why' },
    FAILED: { description: 'Sending failed; reason says why' },
  },
});

export enum EscalationReasonName {
  ASKED_FOR_PERSON = 'asked-for-person',
  NOT_UNDERSTOOD_TWICE = 'not-understood-twice',
  KEYWORD = 'keyword',
  VIP = 'vip',
  UPSET = 'upset',
}
registerEnumType(EscalationReasonName, {
  name: 'EscalationReason',
  description: 'Why a topic went to a person',
  valuesMap: {
    ASKED_FOR_PERSON: { description: 'The customer asked for a person' },
    NOT_UNDERSTOOD_TWICE: { description: 'The automated agent did not understand the customer twice in a row' },
    KEYWORD: { description: 'The customer wrote a configured escalation keyword (CONVERSATION_ESCALATION_KEYWORDS); see escalationKeyword' },
    VIP: { description: 'The customer is a VIP (CONVERSATION_VIP_TRAIT)' },
    UPSET: { description: 'The customer wrote a second strongly negative message in the topic (sentiment)' },
  },
});

/** A stored escalation reason (`asked-for-person`, `keyword:<word>`, …) as the enum and the keyword; null for none (or one this gateway does not know). */
export function escalationReasonOf(stored: string | null): { reason: EscalationReasonName; keyword: string | null } | null {
  if (stored === null) return null;
  if (stored.startsWith('keyword:')) return { reason: EscalationReasonName.KEYWORD, keyword: stored.slice('keyword:'.length) };
  const reason = Object.values(EscalationReasonName).find((value) => value === stored && value !== EscalationReasonName.KEYWORD);
  return reason ? { reason, keyword: null } : null;
}

export enum QueueStateName {
  QUEUED = 'queued',
  CLAIMED = 'claimed',
  ALL = 'all',
}
registerEnumType(QueueStateName, {
  name: 'QueueState',
  description: 'Escalated topics nobody holds yet (QUEUED), held by a person (CLAIMED), or both',
  valuesMap: {
    QUEUED: { description: 'Escalated and held by nobody yet' },
    CLAIMED: { description: 'Escalated and held by a person' },
    ALL: { description: 'Both queued and claimed' },
  },
});

export enum MessageDirectionName {
  IN = 'in',
  OUT = 'out',
}
registerEnumType(MessageDirectionName, {
  name: 'MessageDirection',
  description: 'IN: from the customer; OUT: to them',
  valuesMap: { IN: { description: 'From the customer' }, OUT: { description: 'To the customer, from an agent journey or a person' } },
});

@ObjectType({ description: 'What a customer contacted us about, across channels and time', implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the topic's uuid.
export class ConversationTopic {
  /** The topic's uuid: the local part of its global id. */
  localId!: string;

  @Field({ description: 'The customer (userId)' })
  userId!: string;

  @Field(() => TopicIntentName, { description: 'Which automated agent owns it' })
  intent!: TopicIntentName;

  @Field(() => TopicStatusName, { description: 'Who answers: an agent journey, a person, or nobody since it is resolved' })
  status!: TopicStatusName;

  @Field(() => ChannelName, { description: 'The channel the customer last wrote on: replies go there' })
  channel!: ChannelName;

  @Field(() => GraphQLISODateTime, { description: 'When the first message of the topic arrived' })
  openedAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When its latest message, in or out, was recorded' })
  lastMessageAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was last escalated to a person; null when it never was' })
  escalatedAt!: Date | null;

  @Field(() => EscalationReasonName, { nullable: true, description: 'Why it was last escalated to a person; null when it never was' })
  escalationReason!: EscalationReasonName | null;

  @Field(() => String, { nullable: true, description: 'The configured escalation keyword the customer wrote, when escalationReason is KEYWORD; null otherwise' })
  escalationKeyword!: string | null;

  @Field(() => String, { nullable: true, description: 'The person holding it (claimTopic); null while nobody does' })
  assignedAgent!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the person holding it claimed it; null while nobody holds it' })
  claimedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was last resolved; null when it never was' })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who resolved it last: bot:<agent> or human:<name>; null when it never was resolved' })
  resolvedBy!: string | null;

  @Field(() => Int, { description: 'Times it was reopened after being resolved' })
  reopened!: number;

  @Field(() => JSONObjectScalar, { description: 'What is known: orderId, reason, product, … (from every channel)' })
  facts!: Record<string, string>;
}

@ObjectType({ description: 'A message of a conversation, in or out, on any channel', implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the message id (the inbound event's messageId, or the reply's id).
export class ConversationMessage {
  /** conversation_messages.id: the local part of its global id. */
  localId!: string;

  /** The topic's uuid, resolved into `topic` when asked for. */
  topicLocalId!: string | null;

  @Field(() => MessageDirectionName, { description: 'From the customer or to them' })
  direction!: MessageDirectionName;

  @Field({ description: 'Who wrote it: customer, bot:<agent> or human:<name>' })
  author!: string;

  @Field(() => ChannelName, { description: 'The channel it came in or went out on' })
  channel!: ChannelName;

  @Field({ description: 'The text of the message' })
  body!: string;

  @Field(() => MessageIntentName, { nullable: true, description: 'What an inbound message was classified as; null for replies and for messages no classifier read (consent keywords, replies to a journey)' })
  intent!: MessageIntentName | null;

  @Field(() => ReplyStatusName, { nullable: true, description: 'Where a reply stands; null for inbound messages' })
  status!: ReplyStatusName | null;

  @Field(() => String, { nullable: true, description: 'Why a reply was skipped or failed (e.g. no-consent); null otherwise' })
  reason!: string | null;

  @Field(() => MessageStatusName, { nullable: true, description: 'What the provider last reported for a reply that went out; null before it went out and for inbound messages' })
  deliveryStatus!: MessageStatusName | null;

  @Field(() => String, { nullable: true, description: 'A reply to a journey message: the workflow id of the journey instance that got it; null otherwise' })
  journeyInstance!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was received or written' })
  at!: Date;
}

@ObjectType({ description: "A customer's conversation: their topics and their whole history on every channel", implements: () => [Node] })
// `id` comes from Node, resolved by NodeResolver from the customer id.
export class Conversation {
  @Field({ description: 'The customer (userId)' })
  userId!: string;
}

const topicConnection = connectionTypes('ConversationTopic', () => ConversationTopic, {
  item: 'A topic',
  page: 'A page of topics, in the order of the field that returns it',
  total: 'Topics matching the arguments of the field, on every page',
});
export const ConversationTopicConnection = topicConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const ConversationTopicConnectionTotalCount = topicConnection.TotalCount;

const messageConnection = connectionTypes('ConversationMessage', () => ConversationMessage, {
  item: 'A conversation message',
  page: 'A page of conversation messages, oldest first',
  total: 'Messages of the conversation or topic, on every page',
});
export const ConversationMessageConnection = messageConnection.Connection;
/** `totalCount`, counted only when a query asks for it. */
export const ConversationMessageConnectionTotalCount = messageConnection.TotalCount;

@ObjectType({ description: 'How many customers came back on one channel' })
export class ChannelCount {
  @Field(() => ChannelName, { description: 'The channel' })
  channel!: ChannelName;

  @Field(() => Int, { description: 'Customers who came back on it' })
  customers!: number;
}

@ObjectType({ description: 'How many topics were escalated for one reason (each keyword counted apart)' })
export class ReasonCount {
  @Field(() => EscalationReasonName, { description: 'The escalation reason' })
  reason!: EscalationReasonName;

  @Field(() => String, { nullable: true, description: 'The keyword, when reason is KEYWORD; null otherwise' })
  keyword!: string | null;

  @Field(() => Int, { description: 'Topics escalated for it' })
  topics!: number;
}

@ObjectType({ description: 'Customers who wrote again soon after a resolution' })
export class RecontactMetrics {
  @Field(() => Int, { description: 'Resolutions in the range (a topic resolved, reopened and resolved again counts twice)' })
  resolutions!: number;

  @Field(() => Int, { description: 'Customers who wrote again within withinDays of a resolution' })
  customers!: number;

  @Field(() => [ChannelCount], { description: 'The channel they came back on' })
  byChannel!: ChannelCount[];
}

@ObjectType({
  description:
    'Customers raising the same need again in a separate interaction: a topic reopened, a new topic about what one of theirs resolved within withinDays was about, or information they already gave asked for again (never a follow-up within one topic)',
})
export class RepeatedQuestionMetrics {
  @Field(() => Int, { description: 'Topics in which a need was raised again in the range (reopened, or opened about the same thing)' })
  topics!: number;

  @Field(() => Int, {
    description:
      'Reopenings in the range, plus topics opened in the range within withinDays of a resolved topic of the same customer and intent, plus re-asks (reasked)',
  })
  repeats!: number;

  @Field(() => Int, { description: 'Of the repeats, the times an agent asked the customer for a fact they had already given in the conversation (order number, size, reason…)' })
  reasked!: number;
}

@ObjectType({ description: 'Resolved topics that the customer reopened' })
export class ReopenMetrics {
  @Field(() => Int, { description: 'Times a topic was reopened in the range' })
  topics!: number;

  @Field(() => Int, { description: 'Reopened on another channel than the one it was last on' })
  onDifferentChannel!: number;
}

@ObjectType({ description: 'Topics opened in the range that were escalated to a person' })
export class EscalationMetrics {
  @Field(() => Int, { description: 'Topics opened in the range and escalated' })
  topics!: number;

  @Field(() => Float, { description: 'Escalated topics / topics opened' })
  rate!: number;

  @Field(() => [ReasonCount], { description: 'Escalated topics per escalation reason' })
  byReason!: ReasonCount[];
}

@ObjectType({ description: 'The share of resolutions that no person had to handle, counted when they happened' })
export class AutomationMetrics {
  @Field(() => Int, { description: 'Resolutions in the range (a topic resolved, reopened and resolved again counts twice; the same count as recontact.resolutions)' })
  resolvedTopics!: number;

  @Field(() => Int, { description: 'Of those, resolutions by a bot with no escalation since the topic was opened or last resolved' })
  withoutPerson!: number;

  @Field(() => Float, { description: 'withoutPerson / resolvedTopics' })
  share!: number;

  @Field(() => Float, { description: 'The share many teams aim for (0.8)' })
  target!: number;

  @Field({ description: 'share ≥ target (false when nothing was resolved)' })
  meetsTarget!: boolean;
}

@ObjectType({ description: 'Whether continuity happens, over [from, to)' })
export class ContinuityMetrics {
  @Field(() => GraphQLISODateTime, { description: 'Start of the range (included)' })
  from!: Date;

  @Field(() => GraphQLISODateTime, { description: 'End of the range (excluded)' })
  to!: Date;

  @Field(() => Int, { description: 'Days after a resolution within which a contact counts as a recontact' })
  withinDays!: number;

  @Field(() => Int, { description: 'Messages customers wrote in the range' })
  inboundMessages!: number;

  @Field(() => Int, { description: 'Customers who wrote in the range' })
  customers!: number;

  @Field(() => Int, { description: 'Topics opened in the range' })
  topicsOpened!: number;

  @Field(() => RecontactMetrics, { description: 'Customers who wrote again soon after a resolution' })
  recontact!: RecontactMetrics;

  @Field(() => RepeatedQuestionMetrics, { description: 'Questions customers had to ask again' })
  repeatedQuestions!: RepeatedQuestionMetrics;

  @Field(() => ReopenMetrics, { description: 'Resolved topics reopened' })
  reopened!: ReopenMetrics;

  @Field(() => EscalationMetrics, { description: 'Topics escalated to a person' })
  escalation!: EscalationMetrics;

  @Field(() => AutomationMetrics, { description: 'The share resolved without a person' })
  automation!: AutomationMetrics;
}
