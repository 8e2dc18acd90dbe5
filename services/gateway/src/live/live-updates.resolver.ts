import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { ApiKeyPrincipal, LiveTimelineRow } from '@continuum/data';
import { CurrentPrincipal } from '../auth/workspace-context';
import { TimelineEntry } from '../journeys/models/journey-instance-detail.model';
import { TimelineItem } from '../profiles/models/timeline.model';
import { toTimelineItem } from '../profiles/timeline-item.mapper';
import { LiveUpdates } from './live-updates.service';

/** Subscriptions over graphql-ws (ws://host:port/graphql, `connectionParams: { 'x-api-key': … }`). */
@Resolver()
export class LiveUpdatesResolver {
  constructor(private readonly live: LiveUpdates) {}

  @Subscription(() => TimelineEntry, {
    description:
      'Each step of the journey instance (workflow id) as the journal records it, from now on; ' +
      'it may be subscribed to before the instance has started',
    resolve: (row: LiveTimelineRow) => toTimelineEntry(row),
  })
  journeyInstanceUpdates(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('id', { type: () => ID, description: 'The journey instance (its workflow id)' }) id: string): AsyncIterator<LiveTimelineRow> {
    return this.live.subscribe({ workspaceId: principal.workspaceId, instanceId: id, kinds: ['JOURNEY_STEP'] });
  }

  @Subscription(() => TimelineItem, {
    description: "The customer's events, journey steps and messages (when created and at each change of status), from now on",
    resolve: (row: LiveTimelineRow) => toTimelineItem(row),
  })
  customerActivity(@CurrentPrincipal() principal: ApiKeyPrincipal, @Args('userId', { description: 'The customer (a userId of the workspace)' }) userId: string): AsyncIterator<LiveTimelineRow> {
    return this.live.subscribe({ workspaceId: principal.workspaceId, customerId: userId });
  }
}

function toTimelineEntry(row: LiveTimelineRow): TimelineEntry {
  const data = row.data as { runId: string; seq: number; type: string; step: string; detail: Record<string, unknown> };
  return { entryId: row.id, runId: data.runId, seq: data.seq, type: data.type as TimelineEntry['type'], step: data.step, at: row.at, detail: data.detail };
}
