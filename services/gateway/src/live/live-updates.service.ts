import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { ActivityListener, CustomerTimelineStore, type ActivityNotice, type LiveTimelineRow } from '@continuum/data';
import { GATEWAY_CONFIG } from '../core/tokens';

/** What one subscriber wants: rows of one workspace, of one customer or of one journey instance. */
export interface LiveFilter {
  workspaceId: string;
  customerId?: string;
  instanceId?: string;
  kinds?: ReadonlyArray<ActivityNotice['kind']>;
}

/** Rows a subscriber has not taken yet; a subscriber that falls this far behind is ended with an error. */
const MAX_PENDING = 1_000;

interface Subscriber {
  filter: LiveFilter;
  pending: LiveTimelineRow[];
  wake: (() => void) | null;
  ended: boolean;
  error: Error | null;
}

/**
 * Live updates for every replica: one dedicated connection LISTENs to the rows PostgreSQL
 * announces (whoever wrote them), each announced row that a subscriber wants is read once, and
 * handed to the matching subscribers in the order PostgreSQL committed them.
 */
@Injectable()
export class LiveUpdates implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveUpdates.name);
  private readonly subscribers = new Set<Subscriber>();
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
    for (const subscriber of this.subscribers) this.end(subscriber, null);
    await this.listener.stop();
    await this.delivery;
  }

  /** Rows matching the filter from now on, until the consumer returns (unsubscribes) or the gateway stops. */
  subscribe(filter: LiveFilter): AsyncIterableIterator<LiveTimelineRow> {
    const subscriber: Subscriber = { filter, pending: [], wake: null, ended: false, error: null };
    this.subscribers.add(subscriber);
    const finish = (): Promise<IteratorResult<LiveTimelineRow>> => {
      this.end(subscriber, null);
      return Promise.resolve({ value: undefined, done: true });
    };
    const iterator: AsyncIterableIterator<LiveTimelineRow> = {
      next: async () => {
        while (subscriber.pending.length === 0 && !subscriber.ended) {
          await new Promise<void>((resolve) => (subscriber.wake = resolve));
        }
        if (subscriber.error) throw subscriber.error;
        const value = subscriber.pending.shift();
        return value ? { value, done: false } : { value: undefined, done: true };
      },
      return: finish,
      throw: finish,
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Whether the replica's PostgreSQL listener is connected (updates written while it is not are missed). */
  get listening(): boolean {
    return this.listener.listening;
  }

  /** How many subscriptions are open on this replica. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private async deliver(notice: ActivityNotice): Promise<void> {
    const interested = [...this.subscribers].filter((subscriber) => mayMatch(subscriber.filter, notice));
    if (interested.length === 0) return;
    let row: LiveTimelineRow | null;
    try {
      row = await this.timeline.item(notice.workspaceId, notice.kind, notice.id);
    } catch (error) {
      this.logger.warn(`live update ${notice.kind} ${notice.id} not read: ${(error as Error).message}`);
      return;
    }
    if (!row) return; // deleted (erased) before it could be read
    for (const subscriber of interested) {
      if (subscriber.ended || !matches(subscriber.filter, row)) continue;
      if (subscriber.pending.length >= MAX_PENDING) {
        this.end(subscriber, new Error(`Subscription ended: more than ${MAX_PENDING} updates were not consumed`));
        continue;
      }
      subscriber.pending.push(row);
      this.wakeUp(subscriber);
    }
  }

  private end(subscriber: Subscriber, error: Error | null): void {
    subscriber.ended = true;
    subscriber.error = error;
    if (!error) subscriber.pending.length = 0;
    this.subscribers.delete(subscriber);
    this.wakeUp(subscriber);
  }

  private wakeUp(subscriber: Subscriber): void {
    const wake = subscriber.wake;
    subscriber.wake = null;
    wake?.();
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
