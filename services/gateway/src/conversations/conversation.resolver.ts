import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { withGatewayErrors } from '../common/field-errors';
import { Profile } from '../profiles/models/profile.model';
import { Conversation, ConversationMessage, ConversationMessageConnection, ConversationTopic, ConversationTopicConnection } from './conversation.models';
import { ConversationsService } from './conversations.service';
import { CustomerProfiles } from './customer-profiles';

/** The fields of a conversation, each read only when a query selects it. */
@Resolver(() => Conversation)
export class ConversationResolver {
  constructor(
    private readonly service: ConversationsService,
    private readonly customers: CustomerProfiles,
  ) {}

  @ResolveField(() => Profile, { nullable: true, description: "The customer's profile; null when there is none (never identified, or erased)" })
  customer(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() conversation: Conversation): Promise<Profile | null> {
    return this.customers.of(principal, conversation.userId);
  }

  @ResolveField(() => ConversationTopicConnection, { description: "The customer's topics, most recently opened first" })
  topics(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() conversation: Conversation, @Args() page: ConnectionArgs): Promise<ConnectionPage<ConversationTopic>> {
    return withGatewayErrors(() => this.service.topicsOf(principal, conversation.userId, page));
  }

  @ResolveField(() => ConversationMessageConnection, { description: "The customer's whole history on every channel, oldest first (last: n gives the latest n)" })
  messages(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() conversation: Conversation, @Args() page: ConnectionArgs): Promise<ConnectionPage<ConversationMessage>> {
    return withGatewayErrors(() => this.service.messagesOf(principal, { customerId: conversation.userId }, page));
  }
}
