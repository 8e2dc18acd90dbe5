import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { ActivityListener, CustomerTimelineStore, LiveChangeStore, type ActivityNotice, type LiveChange, type LiveTimelineRow } from '@continuum/data';
import { NotifiedUpdates } from '../common/notified-updates';
import type { Delivered } from '../common/resumable-feed';
import { GATEWAY_CONFIG } from '../core/tokens';

/** What one subscriber follows: one customer's activity, or the journal of one run of one journey instance. */
type LiveFilter = { workspaceId: string; customerId: string } | { workspaceId: string; instanceId: string; runId: string };

/**
 * Customer activity and journey instance updates for every replica, resumable: the `continuum_activity`
 * notices (journal entries, events, messages) wake the subscriptions they may concern, which read
 * their changes from the log and each row as it is then. This service also prunes the log.
 */
@Injectable()
export class LiveUpdates extends NotifiedUpdates<ActivityNotice, LiveFilter> {
  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly timeline: CustomerTimelineStore,
    changes: LiveChangeStore,
  ) {
    super(LiveUpdates.name, 'live', (handlers) => new ActivityListener(config.DATABASE_URL, { applicationName: 'continuum-gateway-live', ...handlers }), true, changes, true);
  }

  /** The customer's events, journal entries and messages after `after` (a cursor of customerActivity), else from now on. */
  customerActivity(workspaceId: string, customerId: string, after: string | null): Promise<AsyncIterableIterator<Delivered<LiveTimelineRow>>> {
    return this.open(
      { workspaceId, customerId },
      { subscription: 'customerActivity', filter: { workspaceId, stream: 'activity', scope: customerId }, load: (changes) => this.rows(workspaceId, changes) },
      after,
    );
  }

  /** The journal entries of one run of an instance after `after` (a cursor of journeyInstanceUpdates), else from now on. */
  journeyInstance(workspaceId: string, instanceId: string, runId: string, after: string | null): Promise<AsyncIterableIterator<Delivered<LiveTimelineRow>>> {
    return this.open(
      { workspaceId, instanceId, runId },
      { subscription: 'journeyInstanceUpdates', filter: { workspaceId, stream: 'activity', instanceId, runId }, load: (changes) => this.rows(workspaceId, changes) },
      after,
    );
  }

  protected concerns(filter: LiveFilter, notice: ActivityNotice): boolean {
    if (notice.workspaceId !== filter.workspaceId) return false;
    if (notice.customerId === null) return true; // ids too long to announce: may concern anyone of the workspace
    if ('instanceId' in filter) return notice.kind === 'JOURNEY_STEP' && notice.instanceId === filter.instanceId;
    return notice.customerId === filter.customerId;
  }

  private rows(workspaceId: string, changes: LiveChange[]): Promise<Array<LiveTimelineRow | null>> {
    return Promise.all(changes.map((change) => this.timeline.item(workspaceId, change.kind as 'EVENT' | 'JOURNEY_STEP' | 'MESSAGE', change.ref)));
  }
}
