import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { ApiKeyPrincipal, LiveTimelineRow } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import type { TimelineEntry } from '../journeys/models/journey-instance-detail.model';
import type { Delivered } from '../common/resumable-feed';
import { journeyInstanceKeyOf } from '../node/journey-instance-id';
import { toTimelineItem } from '../timeline/timeline-item.mapper';
import { CustomerActivityUpdate, JourneyInstanceUpdate } from './models/live-update.model';
import { LiveUpdates } from './live-updates.service';
import { RequiresScope } from '../auth/requires-scope';

const AFTER = 'Resume after this cursor (of an item this subscription sent): first every change made since, then live; omitted: from now on';

/** Subscriptions over graphql-ws (ws://host:port/graphql, `connectionParams: { 'x-api-key': … }`), resumable with `after`. */
@Resolver()
export class LiveUpdatesResolver {
  constructor(private readonly live: LiveUpdates) {}

  @RequiresScope('read')
  @Subscription(() => JourneyInstanceUpdate, {
    description: 'Each entry of the journey instance\'s journal as it is recorded, with a cursor to resume from',
    resolve: ({ cursor, value }: Delivered<LiveTimelineRow>): JourneyInstanceUpdate => ({ cursor, entry: toTimelineItem(value) as TimelineEntry }),
  })
  journeyInstanceUpdates(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('id', { type: () => ID, description: 'The journey instance (the global id of a JourneyInstance, which names its run)' }) id: string,
    @Args('after', { type: () => String, nullable: true, description: AFTER }) after: string | null,
  ): Promise<AsyncIterator<Delivered<LiveTimelineRow>>> {
    const { instanceId, runId } = journeyInstanceKeyOf(id, 'id');
    return this.live.journeyInstance(principal.workspaceId, instanceId, runId, after ?? null);
  }

  @RequiresScope('read')
  @Subscription(() => CustomerActivityUpdate, {
    description: "The customer's events, journey steps and messages (when created and at each change of status), with a cursor to resume from",
    resolve: ({ cursor, value }: Delivered<LiveTimelineRow>): CustomerActivityUpdate => ({ cursor, item: toTimelineItem(value) }),
  })
  customerActivity(
    @CurrentPrincipal() principal: ApiKeyPrincipal,
    @Args('userId', { description: 'The customer (a userId of the workspace)' }) userId: string,
    @Args('after', { type: () => String, nullable: true, description: AFTER }) after: string | null,
  ): Promise<AsyncIterator<Delivered<LiveTimelineRow>>> {
    return this.live.customerActivity(principal.workspaceId, userId, after ?? null);
  }
}
