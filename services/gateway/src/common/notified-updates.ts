import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { NotificationListenerOptions } from '@continuum/data';
import { SubscriberHub } from './subscriber-hub';

/** A reconnecting PostgreSQL listener of @continuum/data (activity, inbox, conversation). */
interface NoticeListener {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly listening: boolean;
}

/** What a subclass passes to its listener's constructor: the notices and connection changes. */
export interface NoticeHandlers<N> extends Pick<NotificationListenerOptions, 'onStatus'> {
  onNotice: (notice: N) => void;
}

/**
 * One kind of live update for every replica, wired once: a PostgreSQL listener (whoever wrote the
 * change: the worker, this replica or another) whose notices are delivered one at a time, so that
 * subscribers see changes in commit order, to a SubscriberHub of this replica's subscriptions.
 * A subclass says how to read a notice into updates (`deliver`, publishing to `hub`).
 */
export abstract class NotifiedUpdates<N, F, T> implements OnModuleInit, OnModuleDestroy {
  protected readonly logger: Logger;
  protected readonly hub = new SubscriberHub<F, T>();
  private readonly listener: NoticeListener;
  private delivery: Promise<void> = Promise.resolve();

  /**
   * @param what names the updates in logs (`live`, `inbox`, `conversation`)
   * @param announceListening whether connecting (and reconnecting) is logged, not only disconnections
   */
  protected constructor(name: string, what: string, listen: (handlers: NoticeHandlers<N>) => NoticeListener, announceListening: boolean) {
    this.logger = new Logger(name);
    this.listener = listen({
      onNotice: (notice) => {
        this.delivery = this.delivery.then(() => this.deliver(notice));
      },
      onStatus: (status) => {
        if (status.state !== 'listening') this.logger.warn(`${what} updates disconnected (${status.error.message}); reconnecting in ${status.retryInMs} ms`);
        else if (announceListening) this.logger.log(`listening for ${what} updates`);
      },
    });
  }

  /** Reads what the notice announces and publishes it to the subscribers that want it. */
  protected abstract deliver(notice: N): Promise<void>;

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.hub.close();
    await this.listener.stop();
    await this.delivery;
  }

  /** Whether the replica's PostgreSQL listener is connected (changes made while it is not are missed). */
  get listening(): boolean {
    return this.listener.listening;
  }

  /** How many subscriptions are open on this replica. */
  get subscriberCount(): number {
    return this.hub.size;
  }
}
