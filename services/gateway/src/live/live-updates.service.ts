import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { ActivityListener, CustomerTimelineStore, type ActivityNotice, type LiveTimelineRow } from '@continuum/data';
import { SubscriberHub } from '../common/subscriber-hub';
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
export class LiveUpdates implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveUpdates.name);
  private readonly hub = new SubscriberHub<LiveFilter, LiveTimelineRow>();
  private readonly listener: ActivityListener;
  private delivery: Promise<void> = Promise.resolve();

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly timeline: CustomerTimelineStore,
  ) {
    this.listener = new ActivityListener(config.DATABASE_URL, {
      applicationName: 'continuum-gateway-live',
      onNotice: (notice) => {
        // One at a time, so that subscribers see rows in commit order.
        this.delivery = this.delivery.then(() => this.deliver(notice));
      },
      onStatus: (status) => {
        if (status.state === 'listening') this.logger.log('listening for live updates');
        else this.logger.warn(`live updates disconnected (${status.error.message}); reconnecting in ${status.retryInMs} ms`);
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.hub.close();
    await this.listener.stop();
    await this.delivery;
  }

  /** Rows matching the filter from now on, until the consumer returns (unsubscribes) or the gateway stops. */
  subscribe(filter: LiveFilter): AsyncIterableIterator<LiveTimelineRow> {
    return this.hub.subscribe(filter);
  }

  /** Whether the replica's PostgreSQL listener is connected (updates written while it is not are missed). */
  get listening(): boolean {
    return this.listener.listening;
  }

  /** How many subscriptions are open on this replica. */
  get subscriberCount(): number {
    return this.hub.size;
  }

  private async deliver(notice: ActivityNotice): Promise<void> {
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
