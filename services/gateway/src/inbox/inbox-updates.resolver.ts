import { Args, Resolver, Subscription } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { Delivered } from '../common/resumable-feed';
import { InboxService } from './inbox.service';
import { InboxUpdate } from './models/inbox-message.model';
import { RequiresScope } from '../auth/requires-scope';

/** The inbox's subscription over graphql-ws, resumable with `after`. */
@Resolver(() => InboxUpdate)
export class InboxUpdatesResolver {
  constructor(private readonly service: InboxService) {}

  @RequiresScope('read')
  @Subscription(() => InboxUpdate, {
    description:
      "Changes to the customer's inbox: each message delivered, read or archived, by anyone on any gateway, each with a cursor; " +
      'with `after`, first every change made since that cursor, then live',
    resolve: ({ cursor, value }: Delivered<Omit<InboxUpdate, 'cursor'>>): InboxUpdate => ({ cursor, ...value }),
  })
  inboxUpdates(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('userId', { description: 'The customer: a userId, or anon:<anonymousId> for a visitor (finds the known customer once they are merged)' }) userId: string,
    @Args('after', { type: () => String, nullable: true, description: 'Resume after this cursor (of an inboxUpdates item); omitted: from now on' }) after: string | null,
  ): Promise<AsyncIterator<Delivered<Omit<InboxUpdate, 'cursor'>>>> {
    return this.service.subscribe(principal, userId, after ?? null);
  }
}
