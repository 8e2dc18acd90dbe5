import { Args, Resolver, Subscription } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { Delivered } from '../common/resumable-feed';
import { ConversationUpdate } from './conversation-update.model';
import { ConversationUpdates } from './conversation-updates';
import { RequiresScope } from '../auth/requires-scope';

/** The conversations' subscription over graphql-ws, resumable with `after`. */
@Resolver(() => ConversationUpdate)
export class ConversationUpdatesResolver {
  constructor(private readonly updates: ConversationUpdates) {}

  @RequiresScope('agent')
  @Subscription(() => ConversationUpdate, {
    description:
      "Conversation changes (a customer's, or the whole workspace's for an agents' console): topics opened, escalated, claimed, resolved; " +
      'messages in and replies out, each with the message itself and a cursor; with `after`, first every change made since that cursor, then live',
    resolve: ({ cursor, value }: Delivered<Omit<ConversationUpdate, 'cursor'>>): ConversationUpdate => ({ cursor, ...value }),
  })
  conversationUpdates(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('userId', { type: () => String, nullable: true, description: 'The customer: a userId, or anon:<anonymousId> for a visitor; omitted: every customer' })
    userId: string | null,
    @Args('after', { type: () => String, nullable: true, description: 'Resume after this cursor (of a conversationUpdates item with the same userId); omitted: from now on' })
    after: string | null,
  ): Promise<AsyncIterator<Delivered<Omit<ConversationUpdate, 'cursor'>>>> {
    return this.updates.subscribe(principal, userId ?? null, after ?? null);
  }
}
