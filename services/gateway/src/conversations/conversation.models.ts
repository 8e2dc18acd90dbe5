import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../common/json-object.scalar';
import { MessageChannelName } from '../common/models/message-channel.model';

export enum TopicStatusName {
  AUTOMATED = 'automated',
  HUMAN = 'human',
  RESOLVED = 'resolved',
}
registerEnumType(TopicStatusName, {
  name: 'TopicStatus',
  description: 'AUTOMATED: an agent journey answers; HUMAN: escalated to a person (queued until claimed); RESOLVED',
});

export enum QueueStateName {
  QUEUED = 'queued',
  CLAIMED = 'claimed',
  ALL = 'all',
}
registerEnumType(QueueStateName, { name: 'QueueState', description: 'Escalated topics nobody holds yet (QUEUED), held by a person (CLAIMED), or both' });

export enum MessageDirectionName {
  IN = 'in',
  OUT = 'out',
}
registerEnumType(MessageDirectionName, { name: 'MessageDirection', description: 'IN: from the customer; OUT: to them' });

@ObjectType({ description: 'What a customer contacted us about, across channels and time' })
export class ConversationTopic {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The customer (userId)' })
  userId!: string;

  @Field({ description: 'returns, sales or support: which automated agent owns it' })
  intent!: string;

  @Field(() => TopicStatusName)
  status!: TopicStatusName;

  @Field(() => MessageChannelName, { description: 'The channel the customer last wrote on: replies go there' })
  channel!: MessageChannelName;

  @Field(() => GraphQLISODateTime)
  openedAt!: Date;

  @Field(() => GraphQLISODateTime)
  lastMessageAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  escalatedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'asked-for-person, not-understood-twice, keyword:<word>, vip' })
  escalationReason!: string | null;

  @Field(() => String, { nullable: true, description: 'The person holding it (claimTopic)' })
  assignedAgent!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  claimedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
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
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  topicId!: string | null;

  @Field(() => MessageDirectionName)
  direction!: MessageDirectionName;

  @Field({ description: 'customer, bot:<agent>, human:<name>' })
  author!: string;

  @Field(() => MessageChannelName)
  channel!: MessageChannelName;

  @Field()
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

  @Field(() => GraphQLISODateTime)
  at!: Date;
}

@ObjectType({ description: "A customer's conversation: their topics and the whole cross-channel history" })
export class Conversation {
  @Field()
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

  @Field(() => MessageChannelName, { description: "The customer's current channel, which it goes out on" })
  channel!: MessageChannelName;

  @Field(() => ConversationTopic)
  topic!: ConversationTopic;
}

@ObjectType({ description: 'A change to a conversation: a topic (new, escalated, claimed, resolved) or a message (in, or a reply and its status)' })
export class ConversationUpdate {
  @Field({ description: 'TOPIC or MESSAGE' })
  kind!: string;

  @Field()
  userId!: string;

  @Field(() => String, { nullable: true })
  topicId!: string | null;

  @Field(() => ConversationTopic, { nullable: true })
  topic!: ConversationTopic | null;
}

@ObjectType()
export class ChannelCount {
  @Field(() => MessageChannelName)
  channel!: MessageChannelName;

  @Field(() => Int)
  customers!: number;
}

@ObjectType()
export class ReasonCount {
  @Field()
  reason!: string;

  @Field(() => Int)
  topics!: number;
}

@ObjectType()
export class RecontactMetrics {
  @Field(() => Int, { description: 'Resolutions in the range (a topic resolved, reopened and resolved again counts twice)' })
  resolutions!: number;

  @Field(() => Int, { description: 'Customers who wrote again within withinDays of a resolution' })
  customers!: number;

  @Field(() => [ChannelCount], { description: 'The channel they came back on' })
  byChannel!: ChannelCount[];
}

@ObjectType()
export class RepeatedQuestionMetrics {
  @Field(() => Int, { description: "Topics in which the customer asked the topic's question more than once" })
  topics!: number;

  @Field(() => Int, { description: 'How many times they asked again, in all' })
  repeats!: number;
}

@ObjectType()
export class ReopenMetrics {
  @Field(() => Int)
  topics!: number;

  @Field(() => Int, { description: 'Reopened on another channel than the one it was last on' })
  onDifferentChannel!: number;
}

@ObjectType()
export class EscalationMetrics {
  @Field(() => Int)
  topics!: number;

  @Field(() => Float, { description: 'Escalated topics / topics opened' })
  rate!: number;

  @Field(() => [ReasonCount])
  byReason!: ReasonCount[];
}

@ObjectType()
export class AutomationMetrics {
  @Field(() => Int)
  resolvedTopics!: number;

  @Field(() => Int)
  withoutPerson!: number;

  @Field(() => Float, { description: 'withoutPerson / resolvedTopics' })
  share!: number;

  @Field(() => Float, { description: 'The share many teams aim for (0.8)' })
  target!: number;

  @Field({ description: 'share ≥ target' })
  meetsTarget!: boolean;
}

@ObjectType({ description: 'Whether continuity happens, over [from, to)' })
export class ContinuityMetricsModel {
  @Field(() => GraphQLISODateTime)
  from!: Date;

  @Field(() => GraphQLISODateTime)
  to!: Date;

  @Field(() => Int)
  withinDays!: number;

  @Field(() => Int)
  inboundMessages!: number;

  @Field(() => Int, { description: 'Customers who wrote in the range' })
  customers!: number;

  @Field(() => Int)
  topicsOpened!: number;

  @Field(() => RecontactMetrics)
  recontact!: RecontactMetrics;

  @Field(() => RepeatedQuestionMetrics)
  repeatedQuestions!: RepeatedQuestionMetrics;

  @Field(() => ReopenMetrics)
  reopened!: ReopenMetrics;

  @Field(() => EscalationMetrics)
  escalation!: EscalationMetrics;

  @Field(() => AutomationMetrics)
  automation!: AutomationMetrics;
}

@ObjectType({ description: 'An inbound in-app message, accepted' })
export class InAppMessageReceipt {
  @Field(() => ID)
  messageId!: string;

  @Field({ description: 'A repeat of a clientMessageId already accepted' })
  duplicate!: boolean;
}
