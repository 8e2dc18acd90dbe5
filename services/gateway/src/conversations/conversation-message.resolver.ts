import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { ConversationMessage, ConversationTopic } from './conversation.models';
import { ConversationsService } from './conversations.service';

/** The relations of a conversation message, each read only when a query selects it. */
@Resolver(() => ConversationMessage)
export class ConversationMessageResolver {
  constructor(private readonly service: ConversationsService) {}

  @ResolveField(() => ConversationTopic, { nullable: true, description: 'The topic it belongs to; null when it was filed under none (a consent keyword, a reply to a journey)' })
  async topic(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() message: ConversationMessage): Promise<ConversationTopic | null> {
    if (message.topicLocalId === null) return null;
    const [topic] = await this.service.topicsByIds(principal, [message.topicLocalId]);
    return topic ?? null;
  }
}
