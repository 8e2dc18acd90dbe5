import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { ApiKeyPrincipal } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { Delivered } from '../common/resumable-feed';
import { localIdOf } from '../node/global-id';
import { BroadcastUpdate } from './broadcast-update.model';
import { BroadcastUpdates } from './broadcast-updates.service';
import { RequiresScope } from '../auth/requires-scope';

/** A broadcast's subscription over graphql-ws, resumable with `after`. */
@Resolver(() => BroadcastUpdate)
export class BroadcastUpdatesResolver {
  constructor(private readonly updates: BroadcastUpdates) {}

  @RequiresScope('read')
  @Subscription(() => BroadcastUpdate, {
    description:
      "The broadcast's runs: each one started, progressing (a batch of members got an outcome), paused, resumed, cancelled or finished, " +
      'with its counts and a cursor; with `after`, first every change made since that cursor, then live',
    resolve: ({ cursor, value }: Delivered<Omit<BroadcastUpdate, 'cursor'>>): BroadcastUpdate => ({ cursor, ...value }),
  })
  broadcastUpdates(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, description: 'The broadcast (its global id)' }) id: string,
    @Args('after', { type: () => String, nullable: true, description: 'Resume after this cursor (of a broadcastUpdates item of the same broadcast); omitted: from now on' })
    after: string | null,
  ): Promise<AsyncIterator<Delivered<Omit<BroadcastUpdate, 'cursor'>>>> {
    return this.updates.subscribe(principal.workspaceId, localIdOf(id, 'Broadcast', 'id'), after ?? null);
  }
}
