import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { GatewayConfig } from '@continuum/config';
import { InboxListener, InboxStore, type InboxNotice } from '@continuum/data';
import { SubscriberHub } from '../common/subscriber-hub';
import { GATEWAY_CONFIG } from '../core/tokens';
import { toInboxMessage } from './inbox-message.mapper';
import { InboxUpdateKind, type InboxUpdate } from './models/inbox-message.model';

interface Filter {
  workspaceId: string;
  customerId: string;
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
  private readonly hub = new SubscriberHub<Filter, InboxUpdate>();
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
    this.hub.close();
    await this.listener.stop();
    await this.delivery;
  }

  /** The customer's inbox changes from now on, until the consumer returns (unsubscribes) or the gateway stops. */
  subscribe(workspaceId: string, customerId: string): AsyncIterableIterator<InboxUpdate> {
    return this.hub.subscribe({ workspaceId, customerId });
  }

  /** Whether the replica's PostgreSQL listener is connected (changes made while it is not are missed). */
  get listening(): boolean {
    return this.listener.listening;
  }

  /** How many inbox subscriptions are open on this replica. */
  get subscriberCount(): number {
    return this.hub.size;
  }

  private async deliver(notice: InboxNotice): Promise<void> {
    // A notice without a customer (id too long to announce) may concern any subscriber of the workspace.
    if (!this.hub.wants((filter) => filter.workspaceId === notice.workspaceId && (notice.customerId === null || notice.customerId === filter.customerId))) return;
    let stored;
    try {
      stored = await this.inbox.get(notice.workspaceId, notice.id);
    } catch (error) {
      this.logger.warn(`inbox update ${notice.kind} ${notice.id} not read: ${(error as Error).message}`);
      return;
    }
    if (!stored) return; // erased before it could be read
    const update: InboxUpdate = { kind: InboxUpdateKind[notice.kind], message: toInboxMessage(stored) };
    this.hub.publish((filter) => filter.workspaceId === notice.workspaceId && filter.customerId === stored.customerId, update);
  }
}
