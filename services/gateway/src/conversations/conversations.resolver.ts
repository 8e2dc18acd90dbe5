import type { OnModuleInit } from '@nestjs/common';
import { Args, GraphQLISODateTime, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { withGatewayErrors } from '../common/field-errors';
import { payloadOf, recoverUserErrors } from '../common/user-error';
import { NodeRegistry } from '../node/node-registry';
import { Profile } from '../profiles/models/profile.model';
import {
  ContinuityMetrics,
  Conversation,
  ConversationMessage,
  ConversationMessageConnection,
  ConversationTopic,
  ConversationTopicConnection,
  QueueStateName,
} from './conversation.models';
import {
  ClaimTopicInput,
  ClaimTopicPayload,
  HandBackTopicInput,
  HandBackTopicPayload,
  PostInAppMessageInput,
  PostInAppMessagePayload,
  ReplyToTopicInput,
  ReplyToTopicPayload,
  ResolveTopicInput,
  ResolveTopicPayload,
} from './conversation-mutations.models';
import { ConversationsService } from './conversations.service';
import { CustomerProfiles } from './customer-profiles';
import { RequiresScope } from '../auth/requires-scope';

const USER_ID = 'The customer: a userId, or anon:<anonymousId> for a visitor';
const CUSTOMER = "The customer's profile; null when there is none (never identified, or erased)";

@Resolver(() => ConversationTopic)
export class ConversationsResolver implements OnModuleInit {
  constructor(
    private readonly service: ConversationsService,
    private readonly customers: CustomerProfiles,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({ type: ConversationTopic, localId: (topic) => topic.localId, load: (principal, ids) => this.service.topicsByIds(principal, ids) });
    this.nodes.register({ type: ConversationMessage, localId: (message) => message.localId, load: (principal, ids) => this.service.messagesByIds(principal, ids) });
    this.nodes.register({ type: Conversation, localId: (conversation) => conversation.userId, load: (principal, ids) => this.service.conversationsOf(principal, ids) });
  }

  @RequiresScope('operate')
  @Mutation(() => PostInAppMessagePayload, {
    description:
      "A customer's message in your app's chat: it becomes a Message Received on the in-app channel and goes to their conversation. User errors: INVALID naming the input field",
  })
  postInAppMessage(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The customer and what they wrote' }) input: PostInAppMessageInput,
  ): Promise<PostInAppMessagePayload> {
    return recoverUserErrors<PostInAppMessagePayload>(
      async () => ({ ...(await this.service.postInAppMessage(principal, input)), userErrors: [] }),
      (userErrors) => ({ conversationMessageId: null, duplicate: null, userErrors }),
    );
  }

  @RequiresScope('agent')
  @Query(() => ConversationTopicConnection, { description: 'The agent queue: escalated topics, oldest escalation first' })
  agentQueue(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('state', { type: () => QueueStateName, defaultValue: QueueStateName.QUEUED, description: 'Queued, claimed or both (default QUEUED)' }) state: QueueStateName,
    @Args('agent', { type: () => String, nullable: true, description: 'Only topics this person holds; null: whoever holds them' }) agent: string | null,
    @Args() page: ConnectionArgs,
  ): Promise<ConnectionPage<ConversationTopic>> {
    return this.service.queue(principal, state, agent, page);
  }

  @RequiresScope('agent')
  @Query(() => Conversation, { nullable: true, description: "A customer's conversation: their topics and whole history on every channel; null when they have none" })
  conversation(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('userId', { description: USER_ID }) userId: string): Promise<Conversation | null> {
    return this.service.conversation(principal, userId);
  }

  @RequiresScope('agent')
  @Query(() => ConversationTopic, { nullable: true, description: 'One topic; null when there is none of this id in the workspace' })
  topic(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, description: 'The global id of the topic (a ConversationTopic)' }) id: string,
  ): Promise<ConversationTopic | null> {
    return this.service.topic(principal, id, 'id');
  }

  @ResolveField(() => Profile, { nullable: true, description: CUSTOMER })
  customer(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() topic: ConversationTopic): Promise<Profile | null> {
    return this.customers.of(principal, topic.userId);
  }

  @ResolveField(() => ConversationMessageConnection, { description: "The topic's messages on every channel, oldest first" })
  messages(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() topic: ConversationTopic, @Args() page: ConnectionArgs): Promise<ConnectionPage<ConversationMessage>> {
    return withGatewayErrors(() => this.service.messagesOf(principal, { topicId: topic.localId }, page));
  }

  @RequiresScope('agent')
  @Mutation(() => ClaimTopicPayload, {
    description: 'Takes an escalated topic. User errors on topicId: NOT_FOUND, CONFLICT when another person holds it, FAILED_PRECONDITION when it is not escalated',
  })
  claimTopic(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The topic and the person taking it' }) input: ClaimTopicInput): Promise<ClaimTopicPayload> {
    return payloadOf('topic', () => this.service.claim(principal, input));
  }

  @RequiresScope('agent')
  @Mutation(() => ReplyToTopicPayload, {
    description:
      "Replies to the customer on their current channel, with their consent for it and after their quiet hours (held until they end). The topic must be held by `agent`. User errors: INVALID on body or agent; on topicId NOT_FOUND, FAILED_PRECONDITION when it is not held by agent",
  })
  replyToTopic(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The topic, the person and the reply' }) input: ReplyToTopicInput): Promise<ReplyToTopicPayload> {
    return recoverUserErrors<ReplyToTopicPayload>(
      async () => ({ ...(await this.service.reply(principal, input)), userErrors: [] }),
      (userErrors) => ({ message: null, topic: null, userErrors }),
    );
  }

  @RequiresScope('agent')
  @Mutation(() => ResolveTopicPayload, {
    description: 'Resolves a topic (an escalated one by the person holding it); again: unchanged. User errors on topicId: NOT_FOUND, FAILED_PRECONDITION when another person holds it',
  })
  resolveTopic(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The topic and the person resolving it' }) input: ResolveTopicInput): Promise<ResolveTopicPayload> {
    return payloadOf('topic', () => this.service.resolve(principal, input));
  }

  @RequiresScope('agent')
  @Mutation(() => HandBackTopicPayload, {
    description:
      "Hands a held topic back to automation: the topic's agent answers the customer's next message, with the whole context. User errors on topicId: NOT_FOUND, FAILED_PRECONDITION when it is not held by agent",
  })
  handBackTopic(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('input', { description: 'The topic and the person handing it back' }) input: HandBackTopicInput): Promise<HandBackTopicPayload> {
    return payloadOf('topic', () => this.service.handBack(principal, input));
  }

  @RequiresScope('read')
  @Query(() => ContinuityMetrics, { description: 'Continuity over [from, to): recontacts, repeated questions, reopened topics, escalations, share handled without a person' })
  conversationMetrics(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('from', { type: () => GraphQLISODateTime, description: 'Start of the range (included)' }) from: Date,
    @Args('to', { type: () => GraphQLISODateTime, description: 'End of the range (excluded)' }) to: Date,
    @Args('withinDays', { type: () => Int, defaultValue: 7, description: 'A contact this many days after a resolution counts as a recontact (default 7)' }) withinDays: number,
  ): Promise<ContinuityMetrics> {
    return this.service.metrics(principal, from, to, withinDays);
  }
}

