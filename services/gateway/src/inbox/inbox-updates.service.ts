import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { InboxListener, InboxStore, type InboxNotice } from '@continuum/data';
import { GATEWAY_CONFIG } from '../core/tokens';
import { toInboxMessage } from './inbox-message.mapper';
import { InboxUpdateKind, type InboxUpdate } from './models/inbox-message.model';

/** Updates a subscriber has not taken yet; a subscriber that falls this far behind is ended with an error. */
const MAX_PENDING = 1_000;

interface Subscriber {
  workspaceId: string;
  customerId: string;
  pending: InboxUpdate[];
  wake: (() => void) | null;
  ended: boolean;
  error: Error | null;
}

/**
 * Inbox changes for every replica: one dedicated connection LISTENs on `continuum_inbox` (whoever
 * delivered, read or archived the message: the worker, this replica or another), each announced
 * message that a subscriber of this replica wants is read once, and handed to the subscribers of
 * its customer in the order PostgreSQL committed the changes.
 */
@Injectable()
export class InboxUpdates implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(InboxUpdates.name);
  private readonly subscribers = new Set<Subscriber>();
  private readonly listener: InboxListener;
  private delivery: Promise<void> = Promise.resolve();

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly inbox: InboxStore,
  ) {
    this.listener = new InboxListener(config.DATABASE_URL, {
      applicationName: 'continuum-gateway-inbox',
      onNotice: (notice) => {
        // One at a time, so that subscribers see changes in commit order.
        this.delivery = this.delivery.then(() => this.deliver(notice));
      },
      onStatus: (status) => {
        if (status.state === 'listening') this.logger.log('listening for inbox updates');
        else this.logger.warn(`inbox updates disconnected (${status.error.message}); reconnecting in ${status.retryInMs} ms`);
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

  /** The customer's inbox changes from now on, until the consumer returns (unsubscribes) or the gateway stops. */
  subscribe(workspaceId: string, customerId: string): AsyncIterableIterator<InboxUpdate> {
    const subscriber: Subscriber = { workspaceId, customerId, pending: [], wake: null, ended: false, error: null };
    this.subscribers.add(subscriber);
    const finish = (): Promise<IteratorResult<InboxUpdate>> => {
      this.end(subscriber, null);
      return Promise.resolve({ value: undefined, done: true });
    };
    const iterator: AsyncIterableIterator<InboxUpdate> = {
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

  /** Whether the replica's PostgreSQL listener is connected (changes made while it is not are missed). */
  get listening(): boolean {
    return this.listener.listening;
  }

  /** How many inbox subscriptions are open on this replica. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private async deliver(notice: InboxNotice): Promise<void> {
    // A notice without a customer (id too long to announce) may concern any subscriber of the workspace.
    const interested = [...this.subscribers].filter(
      (subscriber) => subscriber.workspaceId === notice.workspaceId && (notice.customerId === null || notice.customerId === subscriber.customerId),
    );
    if (interested.length === 0) return;
    let stored;
    try {
      stored = await this.inbox.get(notice.workspaceId, notice.id);
    } catch (error) {
      this.logger.warn(`inbox update ${notice.kind} ${notice.id} not read: ${(error as Error).message}`);
      return;
    }
    if (!stored) return; // erased before it could be read
    const update: InboxUpdate = { kind: InboxUpdateKind[notice.kind], message: toInboxMessage(stored) };
    for (const subscriber of interested) {
      if (subscriber.ended || subscriber.customerId !== stored.customerId) continue;
      if (subscriber.pending.length >= MAX_PENDING) {
        this.end(subscriber, new Error(`Subscription ended: more than ${MAX_PENDING} updates were not consumed`));
        continue;
      }
      subscriber.pending.push(update);
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
