import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { InboxService } from './inbox.service';
import { InboxConnection, InboxMessage } from './models/inbox-message.model';

const USER_ID = 'The customer: a userId, or anon:<anonymousId> for a visitor (finds the known customer once they are merged)';

@Resolver(() => InboxMessage)
export class InboxResolver {
  constructor(private readonly service: InboxService) {}

  @Query(() => InboxConnection, { description: "A customer's in-app inbox, newest first, with its unread count; archived messages are left out unless asked for" })
  inbox(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('userId', { description: USER_ID }) userId: string,
    @Args() page: ConnectionArgs,
    @Args('unreadOnly', { type: () => Boolean, defaultValue: false, description: 'Only messages neither read nor archived' }) unreadOnly: boolean,
    @Args('includeArchived', { type: () => Boolean, defaultValue: false, description: 'Also archived messages' }) includeArchived: boolean,
  ): Promise<ConnectionPage<InboxMessage> & { unreadCount: number }> {
    return this.service.list(principal, userId, { ...page, unreadOnly, includeArchived });
  }

  @Mutation(() => InboxMessage, { description: 'Marks an inbox message read; marking it again keeps the first readAt. Unknown id: NOT_FOUND' })
  markInboxMessageRead(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID, description: 'The inbox message' }) id: string): Promise<InboxMessage> {
    return this.service.markRead(principal, id);
  }

  @Mutation(() => InboxMessage, { description: 'Archives an inbox message (it leaves the inbox and the unread count); again keeps the first archivedAt. Unknown id: NOT_FOUND' })
  archiveInboxMessage(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID, description: 'The inbox message' }) id: string): Promise<InboxMessage> {
    return this.service.archive(principal, id);
  }
}
