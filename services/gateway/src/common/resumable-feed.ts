import type { LiveChange, LiveChangeFilter, LiveChangeStore, LivePosition } from '@continuum/data';
import { encodeLiveCursor, type LiveSubscriptionName } from './live-cursor';

/** Changes read from the log per query, and so the most items a subscription holds in memory. */
export const LIVE_PAGE_SIZE = 100;
/** How soon a change of a transaction still running is looked at again (doubling up to the max). */
const PENDING_RETRY_MS = 25;
const PENDING_RETRY_MAX_MS = 250;

/** An item of a subscription with its cursor. */
export interface Delivered<T> {
  cursor: string;
  value: T;
}

/** What a subscription reads: its changes in the log, and each change made into the item it sends (null: the row is gone). */
export interface FeedSource<T> {
  subscription: LiveSubscriptionName;
  filter: LiveChangeFilter;
  load(changes: LiveChange[]): Promise<Array<T | null>>;
}

/**
 * One subscription: pulls its changes from the log after its position, LIVE_PAGE_SIZE at a time,
 * whenever a notification wakes it (`signal`) or a change of a running transaction is due to be
 * looked at again. Live items and replayed ones come from the same ordered read, so there is neither
 * a gap nor a duplicate where a replay meets live updates; memory stays within one page.
 */
export class ResumableFeed<T> implements AsyncIterableIterator<Delivered<T>> {
  private readonly buffer: Array<Delivered<T>> = [];
  private position: LivePosition;
  private woken = true;
  private wake: (() => void) | null = null;
  private retry: NodeJS.Timeout | null = null;
  private retryMs = PENDING_RETRY_MS;
  private closed = false;
  /** Whether its start position is set (changes committed from then on reach it). */
  ready = false;

  /**
   * @param start where to start: the position of an `after` cursor, or the latest change ("from now on")
   * @param release called once when the subscription ends (unregisters it from notifications)
   */
  constructor(
    private readonly store: LiveChangeStore,
    private readonly source: FeedSource<T>,
    start: LivePosition,
    private readonly release: () => void,
  ) {
    this.position = start;
  }

  /** Sets the start position before the first read (the latest change, for a subscription without `after`). */
  moveTo(position: LivePosition): void {
    this.position = position;
  }

  /** A notification that may concern this subscription: read the log again. */
  readonly signal = (): void => {
    this.woken = true;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  };

  async next(): Promise<IteratorResult<Delivered<T>>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      const item = this.buffer.shift();
      if (item) return { value: item, done: false };
      if (this.woken) {
        this.woken = false;
        try {
          await this.pull();
        } catch (error) {
          this.end(); // the subscription ends with the error; nothing stays registered
          throw error;
        }
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  return(): Promise<IteratorResult<Delivered<T>>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<Delivered<T>>> {
    return this.return();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Delivered<T>> {
    return this;
  }

  /** Ends the subscription (the client left, or the gateway stops). */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.buffer.length = 0;
    this.release();
    this.signal();
  }

  private async pull(): Promise<void> {
    const { changes, more, pending } = await this.store.after(this.source.filter, this.position, LIVE_PAGE_SIZE);
    const items = changes.length > 0 ? await this.source.load(changes) : [];
    if (this.closed) return;
    changes.forEach((change, index) => {
      this.position = { xid: change.xid, id: change.id };
      const value = items[index];
      if (value != null) this.buffer.push({ cursor: encodeLiveCursor(this.source.subscription, this.position), value });
    });
    if (more) this.woken = true;
    if (!pending) this.retryMs = PENDING_RETRY_MS;
    else if (!this.retry) {
      this.retry = setTimeout(() => {
        this.retry = null;
        this.signal();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, PENDING_RETRY_MAX_MS);
    }
  }
}
