import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { ChannelName } from '../common/models/channel.model';

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

@ObjectType({ description: 'What a customer contacted us about, across channels and time' })
export class ConversationTopic {
  @Field(() => ID, { description: 'Id of the topic (topic(id:), claimTopic and the other agent actions take it)' })
  id!: string;

  @Field({ description: 'The customer (userId)' })
  userId!: string;

  @Field({ description: 'returns, sales or support: which automated agent owns it' })
  intent!: string;

  @Field(() => TopicStatusName, { description: 'Who answers: an agent journey, a person, or nobody since it is resolved' })
  status!: TopicStatusName;

  @Field(() => ChannelName, { description: 'The channel the customer last wrote on: replies go there' })
  channel!: ChannelName;

  @Field(() => GraphQLISODateTime, { description: 'When the first message of the topic arrived' })
  openedAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When its latest message, in or out, was recorded' })
  lastMessageAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was escalated to a person; null while automated' })
  escalatedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'asked-for-person, not-understood-twice, keyword:<word>, vip' })
  escalationReason!: string | null;

  @Field(() => String, { nullable: true, description: 'The person holding it (claimTopic)' })
  assignedAgent!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the person holding it claimed it' })
  claimedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was last resolved' })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'bot:<agent> or human:<name>' })
  resolvedBy!: string | null;

  @Field(() => Int, { description: 'Times it was reopened after being resolved' })
  reopened!: number;

  @Field(() => JSONObjectScalar, { description: 'What is known: orderId, reason, product, … (from every channel)' })
  facts!: Record<string, string>;
}

@ObjectType({ description: 'A message of a conversation, in or out, on any channel' })
export class ConversationMessageModel {
  @Field(() => ID, { description: 'Id of the conversation message' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The topic it belongs to; null when it was not filed under one' })
  topicId!: string | null;

  @Field(() => MessageDirectionName, { description: 'From the customer or to them' })
  direction!: MessageDirectionName;

  @Field({ description: 'customer, bot:<agent>, human:<name>' })
  author!: string;

  @Field(() => ChannelName, { description: 'The channel it came in or went out on' })
  channel!: ChannelName;

  @Field({ description: 'The text of the message' })
  body!: string;

  @Field(() => String, { nullable: true, description: 'Inbound: the intent it was classified as' })
  intent!: string | null;

  @Field(() => String, { nullable: true, description: 'Replies: pending (e.g. held for quiet hours), sent, skipped or failed' })
  status!: string | null;

  @Field(() => String, { nullable: true, description: 'Why a reply was skipped or failed (e.g. no-consent)' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'What the provider last reported for a reply (queued, sent, delivered, …)' })
  deliveryStatus!: string | null;

  @Field(() => String, { nullable: true, description: 'A reply to a journey message: the journey instance that got it' })
  journeyInstance!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was received or written' })
  at!: Date;
}

@ObjectType({ description: "A customer's conversation: their topics and the whole cross-channel history" })
export class Conversation {
  @Field({ description: 'The customer (userId)' })
  userId!: string;

  @Field(() => [ConversationTopic], { description: 'Most recent first' })
  topics!: ConversationTopic[];

  @Field(() => [ConversationMessageModel], { description: 'Oldest first (the most recent `last` messages)' })
  messages!: ConversationMessageModel[];
}

@ObjectType({ description: 'A reply written by a person, on its way to the customer' })
export class TopicReply {
  @Field(() => ID, { description: 'The reply message id (its status is in the history and in conversationUpdates)' })
  id!: string;

  @Field(() => ChannelName, { description: "The customer's current channel, which it goes out on" })
  channel!: ChannelName;

  @Field(() => ConversationTopic, { description: 'The topic replied on, as it is after the reply' })
  topic!: ConversationTopic;
}

@ObjectType({ description: 'How many customers came back on one channel' })
export class ChannelCount {
  @Field(() => ChannelName, { description: 'The channel' })
  channel!: ChannelName;

  @Field(() => Int, { description: 'Customers who came back on it' })
  customers!: number;
}

@ObjectType({ description: 'How many topics were escalated for one reason' })
export class ReasonCount {
  @Field({ description: 'The escalation reason (asked-for-person, not-understood-twice, keyword:<word>, vip)' })
  reason!: string;

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

@ObjectType({ description: 'Customers having to ask the same thing again within a topic' })
export class RepeatedQuestionMetrics {
  @Field(() => Int, { description: "Topics in which the customer asked the topic's question more than once" })
  topics!: number;

  @Field(() => Int, { description: 'How many times they asked again, in all' })
  repeats!: number;
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

@ObjectType({ description: 'The share of resolved topics that no person had to handle' })
export class AutomationMetrics {
  @Field(() => Int, { description: 'Topics resolved in the range' })
  resolvedTopics!: number;

  @Field(() => Int, { description: 'Of those, topics never escalated to a person' })
  withoutPerson!: number;

  @Field(() => Float, { description: 'withoutPerson / resolvedTopics' })
  share!: number;

  @Field(() => Float, { description: 'The share many teams aim for (0.8)' })
  target!: number;

  @Field({ description: 'share ≥ target (false when nothing was resolved)' })
  meetsTarget!: boolean;
}

@ObjectType({ description: 'Whether continuity happens, over [from, to)' })
export class ContinuityMetricsModel {
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

@ObjectType({ description: 'An inbound in-app message, accepted' })
export class InAppMessageReceipt {
  @Field(() => ID, { description: 'The conversation message it was recorded as' })
  messageId!: string;

  @Field({ description: 'A repeat of a clientMessageId already accepted' })
  duplicate!: boolean;
}
