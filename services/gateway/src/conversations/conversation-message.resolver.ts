import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { ConversationMessage, ConversationTopic } from './conversation.models';
import { ConversationsService } from './conversations.service';
import { TickBatches } from '../common/tick-batches';

/** The relations of a conversation message, each read only when a query selects it. */
@Resolver(() => ConversationMessage)
export class ConversationMessageResolver {
  /** The topics of a page's messages, read together. */
  private readonly topics: TickBatches<ApiKeyPrincipal, ConversationTopic>;

  constructor(service: ConversationsService) {
    this.topics = new TickBatches((principal, ids) => service.topicsByIds(principal, ids));
  }

  @ResolveField(() => ConversationTopic, { nullable: true, description: 'The topic it belongs to; null when it was filed under none (a consent keyword, a reply to a journey)' })
  topic(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() message: ConversationMessage): Promise<ConversationTopic | null> {
    return message.topicLocalId === null ? Promise.resolve(null) : this.topics.load(principal, message.topicLocalId);
  }
}
