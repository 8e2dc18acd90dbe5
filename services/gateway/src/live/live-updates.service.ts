import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { ActivityListener, CustomerTimelineStore, type ActivityNotice, type LiveTimelineRow } from '@continuum/data';
import { NotifiedUpdates } from '../common/notified-updates';
import { GATEWAY_CONFIG } from '../core/tokens';

/** What one subscriber wants: rows of one workspace, of one customer or of one journey instance. */
export interface LiveFilter {
  workspaceId: string;
  customerId?: string;
  instanceId?: string;
  kinds?: ReadonlyArray<ActivityNotice['kind']>;
}

/**
 * Live updates for every replica: one dedicated connection LISTENs to the rows PostgreSQL
 * announces (whoever wrote them), each announced row that a subscriber wants is read once, and
 * handed to the matching subscribers in the order PostgreSQL committed them.
 */
@Injectable()
export class LiveUpdates extends NotifiedUpdates<ActivityNotice, LiveFilter, LiveTimelineRow> {
  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly timeline: CustomerTimelineStore,
  ) {
    super(LiveUpdates.name, 'live', (handlers) => new ActivityListener(config.DATABASE_URL, { applicationName: 'continuum-gateway-live', ...handlers }), true);
  }

  /** Rows matching the filter from now on, until the consumer returns (unsubscribes) or the gateway stops. */
  subscribe(filter: LiveFilter): AsyncIterableIterator<LiveTimelineRow> {
    return this.hub.subscribe(filter);
  }

  protected async deliver(notice: ActivityNotice): Promise<void> {
    if (!this.hub.wants((filter) => mayMatch(filter, notice))) return;
    let row: LiveTimelineRow | null;
    try {
      row = await this.timeline.item(notice.workspaceId, notice.kind, notice.id);
    } catch (error) {
      this.logger.warn(`live update ${notice.kind} ${notice.id} not read: ${(error as Error).message}`);
      return;
    }
    if (!row) return; // deleted (erased) before it could be read
    const found = row;
    this.hub.publish((filter) => mayMatch(filter, notice) && matches(filter, found), found);
  }
}

/** Whether the notice can concern the subscriber; one whose ids were too long to send may concern anyone of the workspace. */
function mayMatch(filter: LiveFilter, notice: ActivityNotice): boolean {
  if (notice.workspaceId !== filter.workspaceId) return false;
  if (filter.kinds && !filter.kinds.includes(notice.kind)) return false;
  if (notice.customerId === null) return true;
  if (filter.instanceId !== undefined && notice.instanceId !== filter.instanceId) return false;
  if (filter.customerId !== undefined && notice.customerId !== filter.customerId) return false;
  return true;
}

function matches(filter: LiveFilter, row: LiveTimelineRow): boolean {
  if (filter.instanceId !== undefined && row.instanceId !== filter.instanceId) return false;
  if (filter.customerId !== undefined && row.customerId !== filter.customerId) return false;
  return true;
}
