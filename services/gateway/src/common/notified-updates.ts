import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { LIVE_ORIGIN, type LiveChangeStore, type LivePosition, type NotificationListenerOptions } from '@continuum/data';
import { GatewayException } from './gateway-exception';
import { decodeLiveCursor } from './live-cursor';
import { ResumableFeed, type Delivered, type FeedSource } from './resumable-feed';

/** A reconnecting PostgreSQL listener of @continuum/data (activity, inbox, conversation, broadcast). */
interface NoticeListener {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly listening: boolean;
}

/** What a subclass passes to its listener's constructor: the notices and connection changes. */
export interface NoticeHandlers<N> extends Pick<NotificationListenerOptions, 'onStatus'> {
  onNotice: (notice: N) => void;
}

/** How long the change log is kept: a cursor older than this is refused (the client reloads and subscribes afresh). */
export const LIVE_CHANGE_RETENTION_DAYS = 7;
const PRUNE_EVERY_MS = 60 * 60 * 1_000;

interface Subscription<F> {
  filter: F;
  feed: ResumableFeed<unknown>;
}

/**
 * One kind of resumable live update for every replica. A PostgreSQL listener (whoever wrote the
 * change: the worker, this replica or another) wakes the subscriptions a notice may concern; each
 * then reads its changes from the log `live_changes` after its own position (see ResumableFeed), so
 * a notice is only a wake-up and one missed (the listener reconnecting) loses nothing: on every
 * reconnection all subscriptions read again.
 */
export abstract class NotifiedUpdates<N, F> implements OnModuleInit, OnModuleDestroy {
  protected readonly logger: Logger;
  private readonly listener: NoticeListener;
  private readonly subscriptions = new Set<Subscription<F>>();
  private pruning: NodeJS.Timeout | null = null;

  /**
   * @param what names the updates in logs (`live`, `inbox`, `conversation`, `broadcast`)
   * @param announceListening whether connecting (and reconnecting) is logged, not only disconnections
   */
  protected constructor(
    name: string,
    what: string,
    listen: (handlers: NoticeHandlers<N>) => NoticeListener,
    announceListening: boolean,
    protected readonly changes: LiveChangeStore,
    private readonly prunesLog = false,
  ) {
    this.logger = new Logger(name);
    this.listener = listen({
      onNotice: (notice) => {
        for (const subscription of this.subscriptions) if (this.concerns(subscription.filter, notice)) subscription.feed.signal();
      },
      onStatus: (status) => {
        if (status.state !== 'listening') this.logger.warn(`${what} updates disconnected (${status.error.message}); reconnecting in ${status.retryInMs} ms`);
        else {
          if (announceListening) this.logger.log(`listening for ${what} updates`);
          for (const subscription of this.subscriptions) subscription.feed.signal(); // notices sent while disconnected were lost
        }
      },
    });
  }

  /** Whether a notice may concern a subscriber (it then reads the log; a false positive costs one query). */
  protected abstract concerns(filter: F, notice: N): boolean;

  /**
   * Opens a subscription: registered for notices first, then positioned at `after` (checked to be
   * one of this subscription's cursors) or at the latest change, so nothing committed afterwards is missed.
   */
  protected async open<T>(filter: F, source: FeedSource<T>, after: string | null): Promise<AsyncIterableIterator<Delivered<T>>> {
    const start = after === null ? null : decodeLiveCursor(after, source.subscription);
    if (start) await this.checkCursor(source, start);
    let subscription: Subscription<F> | null = null;
    const feed = new ResumableFeed<T>(this.changes, source, start ?? LIVE_ORIGIN, () => subscription && this.subscriptions.delete(subscription));
    subscription = { filter, feed: feed as ResumableFeed<unknown> };
    this.subscriptions.add(subscription);
    try {
      if (!start) feed.moveTo(await this.changes.latest(source.filter));
    } catch (error) {
      feed.end();
      throw error;
    }
    feed.ready = true;
    return feed;
  }

  private async checkCursor(source: FeedSource<unknown>, position: LivePosition): Promise<void> {
    const known = await this.changes.check(source.filter, position);
    if (known === 'pruned') {
      throw GatewayException.badInput('after', `the cursor is older than the ${LIVE_CHANGE_RETENTION_DAYS} days changes are kept: read the current state again and subscribe without after`);
    }
    if (known === 'unknown') throw GatewayException.badInput('after', `the cursor was not handed out by ${source.subscription} for this ${scopeName(source)}`);
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
    if (this.prunesLog) {
      this.pruning = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
      this.pruning.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.pruning) clearInterval(this.pruning);
    for (const subscription of [...this.subscriptions]) subscription.feed.end();
    await this.listener.stop();
  }

  /** Deletes changes older than the retention (every replica does it; deleting twice is harmless). */
  async prune(now = new Date()): Promise<void> {
    try {
      const deleted = await this.changes.prune(new Date(now.getTime() - LIVE_CHANGE_RETENTION_DAYS * 24 * 60 * 60 * 1_000));
      if (deleted > 0) this.logger.log(`pruned ${deleted} live changes older than ${LIVE_CHANGE_RETENTION_DAYS} days`);
    } catch (error) {
      this.logger.warn(`live changes not pruned: ${(error as Error).message}`);
    }
  }

  /** Whether the replica's PostgreSQL listener is connected (while it is not, subscriptions catch up when it reconnects). */
  get listening(): boolean {
    return this.listener.listening;
  }

  /** How many subscriptions are open and positioned on this replica. */
  get subscriberCount(): number {
    let count = 0;
    for (const subscription of this.subscriptions) if (subscription.feed.ready) count += 1;
    return count;
  }
}

function scopeName(source: FeedSource<unknown>): string {
  if ('instanceId' in source.filter) return 'journey instance';
  if (!('scope' in source.filter)) return 'workspace';
  return source.filter.stream === 'broadcast' ? 'broadcast' : 'customer';
}
