import type { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { ConnectionPage } from '../common/connection';
import { ConnectionArgs } from '../common/dto/page.args';
import { payloadOf } from '../common/user-error';
import { CustomerProfiles } from '../conversations/customer-profiles';
import { NodeRegistry } from '../node/node-registry';
import { Message, Profile } from '../profiles/models/profile.model';
import { InboxService } from './inbox.service';
import {
  ArchiveInboxMessageInput,
  ArchiveInboxMessagePayload,
  InboxConnection,
  InboxMessage,
  MarkInboxMessageReadInput,
  MarkInboxMessageReadPayload,
} from './models/inbox-message.model';
import { RequiresScope } from '../auth/requires-scope';

const USER_ID = 'The customer: a userId, or anon:<anonymousId> for a visitor (finds the known customer once they are merged)';

@Resolver(() => InboxMessage)
export class InboxResolver implements OnModuleInit {
  constructor(
    private readonly service: InboxService,
    private readonly customers: CustomerProfiles,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register({ type: InboxMessage, localId: (message) => message.localId, load: (principal, ids) => this.service.byIds(principal, ids) });
  }

  @RequiresScope('read')
  @Query(() => InboxConnection, { description: "A customer's in-app inbox, newest first, with its unread count; archived messages are left out unless asked for" })
  inbox(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('userId', { description: USER_ID }) userId: string,
    @Args() page: ConnectionArgs,
    @Args('unreadOnly', { type: () => Boolean, defaultValue: false, description: 'Only messages neither read nor archived (default false)' }) unreadOnly: boolean,
    @Args('includeArchived', { type: () => Boolean, defaultValue: false, description: 'Also archived messages (default false)' }) includeArchived: boolean,
  ): Promise<ConnectionPage<InboxMessage> & { unreadCount: number }> {
    return this.service.list(principal, userId, { ...page, unreadOnly, includeArchived });
  }

  @ResolveField(() => Message, {
    nullable: true,
    description: 'The outbox message (as in Profile.messages) this was sent as; null when no journey step sent it, or the customer was erased',
  })
  async message(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() inboxMessage: InboxMessage): Promise<Message | null> {
    if (!inboxMessage.messageId) return null;
    return this.nodes.loadOne<Message>(principal, 'Message', inboxMessage.messageId);
  }

  @ResolveField(() => Profile, { nullable: true, description: "The customer whose inbox it is; null when their profile is gone (erased) or was never created" })
  customer(@CurrentPrincipal() principal: ApiKeyPrincipal, @Parent() message: InboxMessage): Promise<Profile | null> {
    return this.customers.of(principal, message.customerId);
  }

  @RequiresScope('track')
  @Mutation(() => MarkInboxMessageReadPayload, { description: 'Marks an inbox message read; marking it again keeps the first readAt. User errors on id: INVALID, NOT_FOUND' })
  markInboxMessageRead(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The inbox message' }) input: MarkInboxMessageReadInput,
  ): Promise<MarkInboxMessageReadPayload> {
    return payloadOf('inboxMessage', () => this.service.markRead(principal, input.id));
  }

  @RequiresScope('track')
  @Mutation(() => ArchiveInboxMessagePayload, {
    description: 'Archives an inbox message (it leaves the inbox and the unread count); again keeps the first archivedAt. User errors on id: INVALID, NOT_FOUND',
  })
  archiveInboxMessage(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('input', { description: 'The inbox message' }) input: ArchiveInboxMessageInput,
  ): Promise<ArchiveInboxMessagePayload> {
    return payloadOf('inboxMessage', () => this.service.archive(principal, input.id));
  }
}
