import { Args, GraphQLISODateTime, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import {
  ContinuityMetricsModel,
  Conversation,
  ConversationMessageModel,
  ConversationTopic,
  InAppMessageReceipt,
  QueueStateName,
  TopicReply,
} from './conversation.models';
import { ConversationsService } from './conversations.service';

const USER_ID = 'The customer: a userId, or anon:<anonymousId> for a visitor';
const AGENT = 'The person acting (their name or login, as your agent console knows them)';

@Resolver(() => ConversationTopic)
export class ConversationsResolver {
  constructor(private readonly service: ConversationsService) {}

  @Mutation(() => InAppMessageReceipt, {
    description: "A customer's message in your app's chat: it becomes a Message Received on the in-app channel and goes to their conversation",
  })
  postInAppMessage(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('userId', { description: USER_ID }) userId: string,
    @Args('body', { description: 'What the customer wrote' }) body: string,
    @Args('clientMessageId', { type: () => String, nullable: true, description: 'Your id for the message: sending it again is a no-op' }) clientMessageId: string | null,
  ): Promise<InAppMessageReceipt> {
    return this.service.postInAppMessage(principal, userId, body, clientMessageId);
  }

  @Query(() => [ConversationTopic], { description: 'The agent queue: escalated topics, oldest escalation first' })
  agentQueue(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('state', { type: () => QueueStateName, defaultValue: QueueStateName.QUEUED, description: 'Queued, claimed or both' }) state: QueueStateName,
    @Args('agent', { type: () => String, nullable: true, description: 'Only topics this person holds' }) agent: string | null,
    @Args('first', { type: () => Int, defaultValue: 50, description: '1 to 200' }) first: number,
  ): Promise<ConversationTopic[]> {
    return this.service.queue(principal, state, agent, first);
  }

  @Query(() => Conversation, { description: "A customer's topics and whole history, on every channel" })
  conversation(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('userId', { description: USER_ID }) userId: string,
    @Args('last', { type: () => Int, defaultValue: 100, description: 'The most recent messages, 1 to 500' }) last: number,
  ): Promise<Conversation> {
    return this.service.conversation(principal, userId, last);
  }

  @Query(() => ConversationTopic, { description: 'One topic (NOT_FOUND when there is none)' })
  topic(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID, description: 'The topic' }) id: string): Promise<ConversationTopic> {
    return this.service.topic(principal, id);
  }

  @ResolveField(() => [ConversationMessageModel], { description: "The topic's messages on every channel, oldest first" })
  messages(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() topic: ConversationTopic): Promise<ConversationMessageModel[]> {
    return this.service.topicMessages(principal, topic);
  }

  @Mutation(() => ConversationTopic, { description: 'Takes an escalated topic: CONFLICT when another person holds it, FAILED_PRECONDITION when it is not escalated' })
  claimTopic(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('topicId', { type: () => ID, description: 'The topic' }) topicId: string,
    @Args('agent', { description: AGENT }) agent: string,
  ): Promise<ConversationTopic> {
    return this.service.claim(principal, topicId, agent);
  }

  @Mutation(() => TopicReply, {
    description:
      "Replies to the customer on their current channel, with their consent for it and after their quiet hours (held until they end). The topic must be held by `agent`",
  })
  replyToTopic(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('topicId', { type: () => ID, description: 'The topic' }) topicId: string,
    @Args('agent', { description: AGENT }) agent: string,
    @Args('body', { description: 'At most 1,600 characters' }) body: string,
  ): Promise<TopicReply> {
    return this.service.reply(principal, topicId, agent, body);
  }

  @Mutation(() => ConversationTopic, { description: 'Resolves a topic (an escalated one by the person holding it)' })
  resolveTopic(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('topicId', { type: () => ID, description: 'The topic' }) topicId: string,
    @Args('agent', { description: AGENT }) agent: string,
  ): Promise<ConversationTopic> {
    return this.service.resolve(principal, topicId, agent);
  }

  @Mutation(() => ConversationTopic, { description: "Hands a held topic back to automation: the topic's agent answers the customer's next message, with the whole context" })
  handBackTopic(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('topicId', { type: () => ID, description: 'The topic' }) topicId: string,
    @Args('agent', { description: AGENT }) agent: string,
  ): Promise<ConversationTopic> {
    return this.service.handBack(principal, topicId, agent);
  }

  @Query(() => ContinuityMetricsModel, { description: 'Continuity over [from, to): recontacts, repeated questions, reopened topics, escalations, share handled without a person' })
  conversationMetrics(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('from', { type: () => GraphQLISODateTime, description: 'Start of the range (included)' }) from: Date,
    @Args('to', { type: () => GraphQLISODateTime, description: 'End of the range (excluded)' }) to: Date,
    @Args('withinDays', { type: () => Int, defaultValue: 7, description: 'A contact this many days after a resolution counts as a recontact' }) withinDays: number,
  ): Promise<ContinuityMetricsModel> {
    return this.service.metrics(principal, from, to, withinDays);
  }
}

